/**
 * A small terminal client of the live channel: watches a scope and prints its headline figures
 * whenever they change. `node --import tsx server/src/cli/watch.ts [url] [scope]`
 */
import { io, type Socket } from 'socket.io-client';
import { LIVE_NAMESPACE, applyPatchTo, type ClientToServerEvents, type ScopeMetrics, type ServerToClientEvents } from '@commandhall/shared';

const url = process.argv[2] ?? `http://127.0.0.1:${process.env.PORT ?? 8080}`;
const scope = process.argv[3] ?? 'district:440310';
const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(url + LIVE_NAMESPACE, { transports: ['websocket'] });

let metrics: ScopeMetrics | null = null;
let seq = 0;

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
function print(): void {
  if (!metrics) return;
  const m = metrics;
  const time = new Date().toLocaleTimeString('zh-CN', { hour12: false, timeZone: 'Asia/Shanghai' });
  console.log(
    `${time} ${scope} #${seq}  今日诉求 ${m['appeals.today']}  在办 ${m['appeals.open']}  超期 ${m['appeals.overdue']}  今日办结 ${m['appeals.closedToday']}` +
      `  按时办结率 ${pct(m['appeals.onTimeRate'])}  即办率 ${pct(m['appeals.immediateRate'])}  满意率 ${pct(m['appeals.satisfactionRate'])}` +
      `  视频告警 ${m['alerts.today']} (待处置 ${m['alerts.pending']})`,
  );
}

function watch(): void {
  socket.emit('scope:watch', { scope }, (res) => {
    if ('error' in res) {
      console.error(`cannot watch ${scope}: ${res.error.message}`);
      process.exit(1);
    }
    metrics = res.data.metrics;
    seq = res.data.seq;
    print();
  });
}

socket.on('connect', () => {
  if (!socket.recovered) watch();
});
socket.on('connect_error', (err) => console.error(`connecting to ${url}: ${err.message}`));
socket.on('metrics:patch', (p) => {
  if (p.scope !== scope || !metrics) return;
  if (p.seq !== seq + 1) return watch(); // missed a patch: take a fresh snapshot
  try {
    metrics = applyPatchTo(metrics, p);
  } catch {
    return watch(); // edits that do not fit what we hold: a fresh snapshot too
  }
  seq = p.seq;
  print();
});
