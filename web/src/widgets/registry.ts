/** Widget type → component. A layout names types; this is the only place they become components. */
import type { Component } from 'vue';
import type { WidgetType } from '@commandhall/shared/themes';
import WidgetTitle from './WidgetTitle.vue';
import WidgetKpis from './WidgetKpis.vue';
import WidgetRolling from './WidgetRolling.vue';
import WidgetBar from './WidgetBar.vue';
import WidgetLine from './WidgetLine.vue';
import WidgetPie from './WidgetPie.vue';
import WidgetGauge from './WidgetGauge.vue';
import WidgetHourly from './WidgetHourly.vue';
import WidgetDaily from './WidgetDaily.vue';
import WidgetRanking from './WidgetRanking.vue';
import WidgetTable from './WidgetTable.vue';
import WidgetTicker from './WidgetTicker.vue';
import WidgetAlertQueue from './WidgetAlertQueue.vue';
import WidgetMap from './WidgetMap.vue';
import WidgetText from './WidgetText.vue';
import WidgetClock from './WidgetClock.vue';
import WidgetImage from './WidgetImage.vue';
import WidgetFunnel from './analysis/WidgetFunnel.vue';
import WidgetStageTimes from './analysis/WidgetStageTimes.vue';
import WidgetUnits from './analysis/WidgetUnits.vue';
import WidgetHot from './analysis/WidgetHot.vue';

export const WIDGETS: Record<WidgetType, Component> = {
  title: WidgetTitle,
  kpis: WidgetKpis,
  rolling: WidgetRolling,
  bar: WidgetBar,
  line: WidgetLine,
  pie: WidgetPie,
  gauge: WidgetGauge,
  hourly: WidgetHourly,
  daily: WidgetDaily,
  ranking: WidgetRanking,
  table: WidgetTable,
  ticker: WidgetTicker,
  alertQueue: WidgetAlertQueue,
  map: WidgetMap,
  text: WidgetText,
  clock: WidgetClock,
  image: WidgetImage,
  funnel: WidgetFunnel,
  stages: WidgetStageTimes,
  units: WidgetUnits,
  hot: WidgetHot,
};

/** Types drawn without the panel frame (they bring their own). */
export const FRAMELESS: ReadonlySet<WidgetType> = new Set(['title', 'kpis']);
