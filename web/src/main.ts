import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { createAppRouter } from './router.ts';
import { createAppI18n } from './i18n/index.ts';
import { LIVE_KEY, startLive } from './live/index.ts';
import { useScopesStore } from './stores/scopes.ts';
import { useMetricsStore } from './stores/metrics.ts';
import { useConnectionStore } from './stores/connection.ts';
import { usePointsStore } from './stores/points.ts';
import { useSessionStore } from './stores/session.ts';
import { ioWithDeviceToken, syncLiveWithSession } from './stores/session-sync.ts';
import { useAlertsStore } from './alerts/alerts-store.ts';
import { feedAlerts } from './alerts/alert-feed.ts';
import { exposeForTests } from './testing.ts';
import { loadDeployment } from './deployment.ts';
import './styles.css';

// the district and its local time come from the server: nothing is drawn before they are known
await loadDeployment();

const app = createApp(App);
const pinia = createPinia();
const i18n = createAppI18n();
app.use(pinia).use(createAppRouter()).use(i18n);
document.documentElement.lang = i18n.global.locale.value;

const session = useSessionStore();
void session.refresh();
const live = startLive(ioWithDeviceToken);
app.provide(LIVE_KEY, live);
syncLiveWithSession(live, session, useScopesStore());
feedAlerts(live, useAlertsStore());
void useScopesStore().load();

exposeForTests({
  live,
  metrics: useMetricsStore(),
  connection: useConnectionStore(),
  points: usePointsStore(),
  scopes: useScopesStore(),
  session,
  alerts: useAlertsStore(),
});

app.mount('#app');
