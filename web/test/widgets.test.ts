/**
 * The widgets of the wall themes, one by one in happy-dom: each shows its values, and an empty
 * state for a missing, `{}` or `[]` value. ECharts is replaced by a recorder of the options.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import { flushPromises } from '@vue/test-utils';
import WidgetRolling from '../src/widgets/WidgetRolling.vue';
import WidgetLine from '../src/widgets/WidgetLine.vue';
import WidgetBar from '../src/widgets/WidgetBar.vue';
import WidgetPie from '../src/widgets/WidgetPie.vue';
import WidgetGauge from '../src/widgets/WidgetGauge.vue';
import WidgetRanking from '../src/widgets/WidgetRanking.vue';
import WidgetTable from '../src/widgets/WidgetTable.vue';
import WidgetAlertQueue from '../src/widgets/WidgetAlertQueue.vue';
import WidgetText from '../src/widgets/WidgetText.vue';
import WidgetClock from '../src/widgets/WidgetClock.vue';
import WidgetImage from '../src/widgets/WidgetImage.vue';
import WidgetTicker from '../src/widgets/WidgetTicker.vue';
import WidgetDaily from '../src/widgets/WidgetDaily.vue';
import WidgetHourly from '../src/widgets/WidgetHourly.vue';
import { useConnectionStore } from '../src/stores/connection.ts';
import { alert, freshPinia, mountWidget } from './widget-helpers.ts';
import { tickerItem } from './fixtures.ts';

const { charts } = vi.hoisted(() => ({ charts: [] as { setOption: ReturnType<typeof vi.fn> }[] }));
vi.mock('../src/charts/echarts.ts', () => ({
  init: vi.fn(() => {
    const c = { setOption: vi.fn(), resize: vi.fn(), dispose: vi.fn() };
    charts.push(c);
    return c;
  }),
  format: { truncateText: (s: string) => s },
}));

/** The option the last chart was given last. */
const lastOption = (): any => charts.at(-1)!.setOption.mock.calls.at(-1)![0];
const EMPTIES = [
  ['undefined', undefined],
  ['{}', {}],
  ['[]', []],
] as const;
/** useNow ticks just after each whole second. */
const SECOND = 1005;

beforeEach(() => {
  charts.length = 0;
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  vi.setSystemTime(Date.UTC(2026, 10, 27, 3, 30, 0));
});
afterEach(() => {
  vi.useRealTimers();
  document.body.innerHTML = '';
});

describe('rolling number', () => {
  const spec = (over = {}) => ({
    id: 'r',
    type: 'rolling' as const,
    bind: ['appeals.today' as const],
    options: { label: 'kpi.appealsToday', ...over },
  });

  it('shows the value with its unit and label, and rolls each digit to a new value', async () => {
    const w = mountWidget(WidgetRolling, spec({ unit: '件' }), [1234]);
    const v = w.get('[data-testid="rolling-r"]');
    expect(v.attributes('data-text')).toBe('1,234');
    expect(v.attributes('data-raw')).toBe('1234');
    expect(w.text()).toContain('件');
    expect(w.text()).toContain('今日诉求');
    const strips = () => w.findAll('.ro-strip').map((s) => (s.element as HTMLElement).style.transform);
    expect(strips()).toEqual(['translateY(-1em)', 'translateY(-2em)', 'translateY(-3em)', 'translateY(-4em)']);
    await w.setProps({ values: [1239] });
    expect(strips().at(-1)).toBe('translateY(-9em)');
    // the other digits keep their strips (and so do not roll)
    expect(strips().slice(0, 3)).toEqual(['translateY(-1em)', 'translateY(-2em)', 'translateY(-3em)']);
  });

  it('reads a number inside an object metric and formats rates', () => {
    const w = mountWidget(WidgetRolling, { ...spec({ field: 'rate', format: 'rate', label: '按时率' }), bind: ['appeals.rework'] }, [
      { returned: 3, resolved: 100, rate: 0.03 },
    ]);
    expect(w.get('[data-testid="rolling-r"]').attributes('data-text')).toBe('3.0%');
    expect(w.text()).toContain('按时率');
  });

  it.each(EMPTIES)('shows a dash and no unit for %s', (_, v) => {
    const w = mountWidget(WidgetRolling, spec({ unit: '件' }), [v]);
    expect(w.get('[data-testid="rolling-r"]').attributes('data-text')).toBe('—');
    expect(w.text()).not.toContain('件');
  });
});

describe('line chart', () => {
  const days = Array.from({ length: 30 }, (_, i) => ({ date: `2026-11-${String(i + 1).padStart(2, '0')}`, count: 100 + i }));

  it('draws a daily series over 30 days, filled when asked', () => {
    mountWidget(WidgetLine, { id: 'l', type: 'line', bind: ['appeals.daily'], options: { area: true } }, [days]);
    const o = lastOption();
    expect(o.xAxis.data).toHaveLength(30);
    expect(o.xAxis.data[0]).toBe('11/1');
    expect(o.series).toHaveLength(1);
    expect(o.series[0].data.at(-1)).toBe(129);
    expect(o.series[0].areaStyle).toBeDefined();
    expect(o.series[0].name).toBe('诉求量');
  });

  it('draws two hourly series, today cut at the current hour', () => {
    const today = Array.from({ length: 24 }, (_, h) => (h <= 11 ? h + 1 : 0));
    const yesterday = Array.from({ length: 24 }, () => 5);
    mountWidget(WidgetLine, { id: 'l', type: 'line', bind: ['appeals.hourlyToday', 'appeals.hourlyYesterday'] }, [today, yesterday]);
    const o = lastOption();
    expect(o.xAxis.data).toHaveLength(24);
    expect(o.series.map((s: any) => s.name)).toEqual(['今日', '昨日']);
    // 03:30 UTC is 11:30 in the district
    expect(o.series[0].data[11]).toBe(12);
    expect(o.series[0].data[12]).toBeNull();
    expect(o.series[1].data[23]).toBe(5);
    expect(o.series[1].lineStyle.type).not.toBe('solid'); // the second series differs in shape too
    expect(o.series[0].areaStyle).toBeUndefined();
  });

  it.each(EMPTIES)('says there is no data for %s', (_, v) => {
    const w = mountWidget(WidgetLine, { id: 'l', type: 'line', bind: ['appeals.daily'] }, [v]);
    expect(w.find('[data-testid="widget-empty"]').text()).toBe('暂无数据');
    expect(lastOption().series).toEqual([]);
  });
});

describe('bar and pie by taxonomy', () => {
  it('names appeal statuses, alert statuses and fields; unknown keys show as they are', () => {
    mountWidget(WidgetBar, { id: 'b', type: 'bar', bind: ['appeals.byStatus'], options: { taxonomy: 'status' } }, [
      { handling: 5, closed: 9 },
    ]);
    expect(lastOption().yAxis.data).toEqual(['已办结', '处置中']);
    mountWidget(WidgetBar, { id: 'b', type: 'bar', bind: ['alerts.byStatus'], options: { taxonomy: 'alertStatus' } }, [
      { raised: 5, mystery: 1 },
    ]);
    expect(lastOption().yAxis.data).toEqual(['待处置', 'mystery']);
    mountWidget(WidgetBar, { id: 'b', type: 'bar', bind: ['appeals.byCategory'], options: { taxonomy: 'field' } }, [
      { population: 9, fault: 8, smart_pole: 7, river: 6, 'odd.key': 5, gizmo: 4 },
    ]);
    expect(lastOption().yAxis.data).toEqual(['实有人口', '故障', '多功能智能杆', '河长巡河', 'odd.key', 'gizmo']);
  });

  it('field names follow the language', () => {
    mountWidget(
      WidgetPie,
      { id: 'p', type: 'pie', bind: ['appeals.byCategory'], options: { taxonomy: 'field' } },
      [{ report: 3, query: 2 }],
      { lang: 'en' },
    );
    expect(lastOption().series[0].data.map((d: any) => d.name)).toEqual(['Report', 'Query']);
  });

  it('bars keep the zeros of a fixed list of keys; pies leave them out', () => {
    const kinds = { grid: 3, river: 0, enterprise: 0, fire: 0 };
    const b = mountWidget(WidgetBar, { id: 'b', type: 'bar', bind: ['appeals.byCategory'], options: { taxonomy: 'field' } }, [kinds]);
    expect(lastOption().yAxis.data).toEqual(['网格巡查', '企业安全检查', '消防检查', '河长巡河']);
    expect(lastOption().series[0].data).toEqual([3, 0, 0, 0]);
    expect(b.find('[data-testid="widget-empty"]').exists()).toBe(false);
    mountWidget(WidgetPie, { id: 'p', type: 'pie', bind: ['appeals.byCategory'], options: { taxonomy: 'field' } }, [kinds]);
    expect(lastOption().series[0].data.map((d: any) => d.name)).toEqual(['网格巡查']);
  });

  it('draws columns when not horizontal, bars by default', () => {
    mountWidget(WidgetBar, { id: 'b', type: 'bar', bind: ['appeals.byCategory'], options: { horizontal: false } }, [{ '5': 3, '1': 9 }]);
    expect(lastOption().xAxis.data).toEqual(['安全隐患', '市容环卫']);
    expect(lastOption().yAxis.type).toBe('value');
    mountWidget(WidgetBar, { id: 'b', type: 'bar', bind: ['appeals.byCategory'] }, [{ '5': 3 }]);
    expect(lastOption().yAxis.type).toBe('category');
  });

  it('draws a rose when asked, a donut otherwise', () => {
    mountWidget(WidgetPie, { id: 'p', type: 'pie', bind: ['appeals.byChannel'], options: { rose: true } }, [
      { hotline_12345: 10, at_pingshan: 3 },
    ]);
    expect(lastOption().series[0].roseType).toBe('area');
    expect(lastOption().series[0].data.map((d: any) => d.name)).toEqual(['12345热线', '@坪山']);
    mountWidget(WidgetPie, { id: 'p', type: 'pie', bind: ['appeals.byChannel'] }, [{ hotline_12345: 10 }]);
    expect(lastOption().series[0].roseType).toBeUndefined();
  });

  it.each(EMPTIES)('bar and pie say there is no data for %s', (_, v) => {
    const b = mountWidget(WidgetBar, { id: 'b', type: 'bar', bind: ['appeals.byCategory'] }, [v]);
    expect(b.find('[data-testid="widget-empty"]').exists()).toBe(true);
    const p = mountWidget(WidgetPie, { id: 'p', type: 'pie', bind: ['appeals.byChannel'] }, [v]);
    expect(p.find('[data-testid="widget-empty"]').exists()).toBe(true);
  });
});

describe('gauge', () => {
  const spec = (over = {}) => ({
    id: 'g',
    type: 'gauge' as const,
    bind: ['appeals.onTimeRate' as const],
    options: { label: 'kpi.onTimeRate', ...over },
  });

  it('shows a rate as a share of the dial', () => {
    const w = mountWidget(WidgetGauge, spec({ warnBelow: 0.5 }), [0.752]);
    const s = lastOption().series[0];
    expect(s.type).toBe('gauge');
    expect(s.data[0].value).toBeCloseTo(75.2);
    expect(s.data[0].name).toBe('按时办结率');
    expect(s.detail.formatter()).toBe('75.2%');
    expect(w.get('[data-testid="gauge-g"]').attributes('data-warn')).toBe('false');
  });

  it('reads the rate of a share and turns the warning colour below warnBelow', () => {
    const w = mountWidget(WidgetGauge, { ...spec({ warnBelow: 0.95 }), bind: ['cameras.online'] }, [
      { online: 180, total: 192, rate: 0.9375 },
    ]);
    expect(w.get('[data-testid="gauge-g"]').attributes('data-warn')).toBe('true');
    expect(lastOption().series[0].progress.itemStyle.color).toBe('#D55E00');
  });

  it.each([...EMPTIES, ['null', null]] as const)('shows an empty dial and a dash for %s', (_, v) => {
    const w = mountWidget(WidgetGauge, spec({ warnBelow: 0.9 }), [v]);
    const s = lastOption().series[0];
    expect(s.detail.formatter()).toBe('—');
    // the arc stays in the option (see gaugeOption) but draws nothing, at zero
    expect(s.progress.itemStyle.color).toBe('rgba(0, 0, 0, 0)');
    expect(s.data[0].value).toBe(0);
    expect(w.get('[data-testid="gauge-g"]').attributes('data-warn')).toBe('false');
  });
});

describe('ranking by alerts', () => {
  it('orders communities by today’s alerts', () => {
    const w = mountWidget(WidgetRanking, { id: 'k', type: 'ranking', bind: ['map.communities'], options: { sortBy: 'alertsToday' } }, [
      {
        '440310001001': { today: 10, open: 134, overdue: 2, alertsToday: 1 },
        '440310004004': { today: 3, open: 20, overdue: 0, alertsToday: 7 },
      },
    ]);
    const rows = w.findAll('[data-testid="ranking-row"]');
    expect(rows.map((r) => r.attributes('data-code'))).toEqual(['440310004004', '440310001001']);
    expect(rows[0].text()).toContain('田心社区');
    expect(w.text()).toContain('今日告警');
  });
});

describe('scrolling table', () => {
  /** happy-dom lays nothing out: give the body a height, as the browser would. */
  function sized(height: number) {
    Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => height });
  }
  afterEach(() => {
    delete (HTMLElement.prototype as any).clientHeight;
  });

  it('lists the open alerts with time, community, algorithm and level', () => {
    sized(400);
    const w = mountWidget(WidgetTable, { id: 't', type: 'table', bind: ['alerts.queue'], options: { source: 'alerts' } }, [
      [alert('a1'), alert('a2', { escalated: true, level: 'street', algorithm: 'road_vending' })],
    ]);
    const rows = w.findAll('[data-testid="table-row"]');
    expect(rows).toHaveLength(2);
    expect(rows[0].text()).toContain('11:00');
    expect(rows[0].text()).toContain('六联社区');
    expect(rows[0].text()).toContain('店外经营');
    expect(rows[0].text()).toContain('待处置');
    expect(rows[1].text()).toContain('街道级');
    expect(w.get('[data-testid="table-t"]').attributes('data-scrolling')).toBe('false');
  });

  it('lists recent events and units', () => {
    sized(400);
    const r = mountWidget(WidgetTable, { id: 't', type: 'table', bind: ['recent'], options: { source: 'recent' } }, [
      [tickerItem(1), tickerItem(3)],
    ]);
    const rows = r.findAll('[data-testid="table-row"]');
    expect(rows[0].text()).toContain('诉求 · 市容环卫');
    expect(rows[1].text()).toContain('告警');
    const u = mountWidget(WidgetTable, { id: 'u', type: 'table', bind: ['appeals.overdueByUnit'], options: { source: 'units' } }, [
      [{ unit: '区城管局', overdue: 4, open: 40 }],
    ]);
    expect(u.get('[data-testid="table-row"]').text()).toMatch(/区城管局\s*4\s*40/);
  });

  it('in English: short state tags, community names without the generic word', () => {
    sized(400);
    const w = mountWidget(
      WidgetTable,
      { id: 't', type: 'table', bind: ['alerts.queue'], options: { source: 'alerts' } },
      [[alert('a1', { status: 'acknowledged' })]],
      { lang: 'en' },
    );
    const row = w.get('[data-testid="table-row"]').text();
    expect(row).toContain('Acked');
    expect(row).toContain('Liulian');
    expect(row).not.toContain('Community');
    mountWidget(WidgetBar, { id: 'b', type: 'bar', bind: ['appeals.byStatus'], options: { taxonomy: 'status' } }, [{ closed: 2 }], {
      lang: 'en',
    });
    expect(lastOption().yAxis.data).toEqual(['Closed']);
  });

  it('scrolls upwards one row at a time when the rows do not fit, and comes round again', async () => {
    sized(34 * 3);
    const list = Array.from({ length: 5 }, (_, i) => tickerItem(i + 1));
    const w = mountWidget(WidgetTable, { id: 't', type: 'table', bind: ['recent'], options: { source: 'recent', secondsPerRow: 2 } }, [
      list,
    ]);
    await nextTick();
    expect(w.get('[data-testid="table-t"]').attributes('data-scrolling')).toBe('true');
    const track = () => (w.get('.tb-track').element as HTMLElement).style.transform;
    // drawn twice for the loop; only the first copy counts as rows
    expect(w.findAll('.tb-row:not(.tb-head)')).toHaveLength(10);
    expect(w.findAll('[data-testid="table-row"]')).toHaveLength(5);
    expect(track()).toBe('translateY(0px)');
    vi.advanceTimersByTime(2000);
    await nextTick();
    expect(track()).toBe('translateY(-34px)');
    vi.advanceTimersByTime(2000 * 4);
    await flushPromises();
    expect(track()).toBe('translateY(-170px)'); // the copy's first row at the top: the same picture as the start
    vi.advanceTimersByTime(2000);
    await flushPromises();
    expect(track()).toBe('translateY(-34px)');
  });

  it.each(EMPTIES)('says there is nothing for %s', (_, v) => {
    sized(400);
    const a = mountWidget(WidgetTable, { id: 't', type: 'table', bind: ['alerts.queue'], options: { source: 'alerts' } }, [v]);
    expect(a.get('[data-testid="widget-empty"]').text()).toBe('当前没有待处置的告警');
    const r = mountWidget(WidgetTable, { id: 't', type: 'table', bind: ['recent'], options: { source: 'recent' } }, [v]);
    expect(r.get('[data-testid="widget-empty"]').text()).toBe('暂无数据');
  });
});

describe('alert queue', () => {
  it('puts the most escalated first, then the oldest, and counts their age each second', async () => {
    const pinia = freshPinia();
    const w = mountWidget(
      WidgetAlertQueue,
      { id: 'q', type: 'alertQueue', bind: ['alerts.queue'] },
      [
        [
          alert('new', { raisedAt: '2026-11-27T03:29:30.000Z' }),
          alert('old', { raisedAt: '2026-11-27T03:10:00.000Z', status: 'acknowledged' }),
          alert('street', { raisedAt: '2026-11-27T03:25:00.000Z', escalated: true, level: 'street' }),
          alert('district', { raisedAt: '2026-11-27T03:28:00.000Z', escalated: true, level: 'district' }),
        ],
      ],
      { pinia },
    );
    const rows = () => w.findAll('[data-testid="alert-queue-row"]');
    expect(rows().map((r) => r.attributes('data-alert'))).toEqual(['district', 'street', 'old', 'new']);
    expect(rows()[0].classes()).toContain('aq-row--district');
    expect(rows()[0].text()).toContain('区级');
    expect(rows()[2].text()).toContain('已签收');
    const age = () => rows()[3].get('[data-testid="alert-queue-age"]').text();
    expect(age()).toBe('30秒');
    vi.advanceTimersByTime(SECOND);
    await nextTick();
    expect(age()).toBe('31秒');
    expect(rows()[2].get('[data-testid="alert-queue-age"]').text()).toBe('20分01秒');
  });

  it('counts age on the server clock', async () => {
    const pinia = freshPinia();
    useConnectionStore().tick(Date.now() + 60_000); // the server runs a minute ahead
    const w = mountWidget(
      WidgetAlertQueue,
      { id: 'q', type: 'alertQueue', bind: ['alerts.queue'] },
      [[alert('a', { raisedAt: '2026-11-27T03:30:00.000Z' })]],
      {
        pinia,
      },
    );
    expect(w.get('[data-testid="alert-queue-age"]').text()).toBe('1分00秒');
  });

  it.each(EMPTIES)('says there are no open alerts for %s', (_, v) => {
    const w = mountWidget(WidgetAlertQueue, { id: 'q', type: 'alertQueue', bind: ['alerts.queue'] }, [v]);
    expect(w.get('[data-testid="widget-empty"]').text()).toBe('当前没有待处置的告警');
  });
});

describe('text, clock and image', () => {
  it('text: shows plain text as typed, an i18n key translated, with size and alignment', () => {
    const w = mountWidget(
      WidgetText,
      { id: 'x', type: 'text', bind: [], options: { text: '值班领导：张三\n值班电话：12345', size: 30, align: 'center' } },
      [],
    );
    const el = w.get('[data-testid="text-x"]');
    expect(el.text()).toContain('值班领导：张三');
    expect((el.element as HTMLElement).style.fontSize).toBe('30px');
    expect((el.element as HTMLElement).style.textAlign).toBe('center');
    const k = mountWidget(WidgetText, { id: 'y', type: 'text', bind: [], options: { text: 'app.hall' } }, []);
    expect(k.get('[data-testid="text-y"]').text()).toBe('城市运行指挥中心');
  });

  it('text: empty text shows the empty state', () => {
    const w = mountWidget(WidgetText, { id: 'x', type: 'text', bind: [], options: { text: '  ' } }, []);
    expect(w.find('[data-testid="widget-empty"]').exists()).toBe(true);
  });

  it('clock: the district time on the server clock, seconds and date when asked', async () => {
    const pinia = freshPinia();
    useConnectionStore().tick(Date.now() + 5_000);
    const w = mountWidget(WidgetClock, { id: 'c', type: 'clock', bind: [], options: { seconds: true, date: true } }, [], { pinia });
    expect(w.get('[data-testid="clock-c"]').text()).toBe('11:30:05');
    expect(w.text()).toContain('2026/11/27');
    expect(w.text()).toContain('星期五');
    vi.advanceTimersByTime(SECOND);
    await nextTick();
    expect(w.get('[data-testid="clock-c"]').text()).toBe('11:30:06');
    const hm = mountWidget(WidgetClock, { id: 'd', type: 'clock', bind: [] }, [], { pinia });
    expect(hm.get('[data-testid="clock-d"]').text()).toBe('11:30');
    expect(hm.text()).not.toContain('2026');
  });

  it('image: an app path or a data: URL is shown; a remote address never is', () => {
    const ok = mountWidget(
      WidgetImage,
      { id: 'i', type: 'image', bind: [], options: { src: '/themes/logo.png', alt: '标志', fit: 'cover' } },
      [],
    );
    const img = ok.get('img');
    expect(img.attributes('src')).toBe('/themes/logo.png');
    expect(img.attributes('alt')).toBe('标志');
    expect((img.element as HTMLElement).style.objectFit).toBe('cover');
    const data = mountWidget(WidgetImage, { id: 'i', type: 'image', bind: [], options: { src: 'data:image/png;base64,iVBORw0KGgo=' } }, []);
    expect(data.find('img').exists()).toBe(true);
    for (const src of ['https://example.com/a.png', '//example.com/a.png', '/themes/../api/x', 'javascript:alert(1)']) {
      const bad = mountWidget(WidgetImage, { id: 'i', type: 'image', bind: [], options: { src } }, []);
      expect(bad.find('img').exists()).toBe(false);
      expect(bad.find('[data-testid="image-placeholder"]').exists()).toBe(true);
    }
  });

  it('image: a broken image leaves a quiet placeholder', async () => {
    const w = mountWidget(WidgetImage, { id: 'i', type: 'image', bind: [], options: { src: '/themes/missing.png' } }, []);
    await w.get('img').trigger('error');
    expect(w.find('img').exists()).toBe(false);
    expect(w.get('[data-testid="image-placeholder"]').text()).toBe('图片无法显示');
  });
});

describe('older widgets and odd values', () => {
  it.each(EMPTIES)('ticker, daily and hourly take %s without breaking', (_, v) => {
    expect(mountWidget(WidgetTicker, { id: 't', type: 'ticker', bind: ['recent'] }, [v]).text()).toContain('暂无数据');
    expect(mountWidget(WidgetDaily, { id: 'd', type: 'daily', bind: ['appeals.daily'] }, [v]).text()).toContain('暂无数据');
    expect(
      mountWidget(WidgetHourly, { id: 'h', type: 'hourly', bind: ['appeals.hourlyToday', 'appeals.hourlyYesterday'] }, [v, v]).text(),
    ).toContain('暂无数据');
  });
});

describe('ticker', () => {
  it('says a city component’s new status: its type and the status, in the chosen language', () => {
    const items = [
      tickerItem(1, { type: 'component.status_changed', label: 'manhole_cover', status: 'fault' }),
      tickerItem(2, { type: 'component.status_changed', label: 'street_light', status: 'normal' }),
    ];
    const zh = mountWidget(WidgetTicker, { id: 't', type: 'ticker', bind: ['recent'] }, [items]).text();
    expect(zh).toContain('部件');
    expect(zh).toContain('井盖 · 故障');
    expect(zh).toContain('路灯 · 正常');
    const en = mountWidget(WidgetTicker, { id: 't', type: 'ticker', bind: ['recent'] }, [items], { lang: 'en' }).text();
    expect(en).toContain('Manhole cover · Fault');
    expect(en).toContain('Street light · Normal');
  });
});
