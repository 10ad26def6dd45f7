/**
 * Example "x" themes: a community's own, shown only in its hall after the five common ones.
 * 老坑社区 (龙田街道) is an industrial-park community, so its hall follows enterprise appeals and
 * the safety inspections of its enterprises; 沙坣社区 (马峦街道) lies on the 坪山河 and follows its
 * river chiefs' patrols. The codes are those tagged in shared/data/community-profiles.json.
 */
import type { KpiItem, Theme } from '../types.ts';

export const INDUSTRIAL_COMMUNITY = '440310006004'; // 老坑社区
export const RIVER_COMMUNITY = '440310002004'; // 沙坣社区

const GRID = { width: 1920, height: 1080, cols: 48, rows: 27, gap: 12 };

const ENTERPRISE_KPIS: KpiItem[] = [
  { key: 'appeals.enterpriseToday', label: 'kpi.enterpriseToday', format: 'count' },
  { key: 'appeals.enterpriseOpen', label: 'kpi.enterpriseOpen', format: 'count', tone: 'alert' },
  { key: 'grid.profile', field: 'legalEntities', label: 'kpi.legalEntities', format: 'count' },
  { key: 'inspections.byKind', field: 'enterprise', label: 'kpi.enterpriseInspections', format: 'count' },
];

export const industrialPark: Theme = {
  schema: 1,
  id: 'laokeng-enterprise',
  name: 'theme.industrial',
  description: '老坑社区：园区企业诉求与企业安全检查',
  levels: ['community'],
  owner: INDUSTRIAL_COMMUNITY,
  grid: GRID,
  widgets: [
    { id: 'title', type: 'title', pos: { x: 0, y: 0, w: 48, h: 2 }, bind: [], options: { subtitle: 'theme.industrial' } },
    {
      id: 'kpis',
      type: 'kpis',
      pos: { x: 0, y: 2, w: 36, h: 4 },
      bind: ['appeals.enterpriseToday', 'appeals.enterpriseOpen', 'grid.profile', 'inspections.byKind'],
      options: { items: ENTERPRISE_KPIS },
    },
    { id: 'clock', type: 'clock', pos: { x: 36, y: 2, w: 12, h: 4 }, bind: [], options: { seconds: true, date: true } },
    {
      id: 'by-category',
      type: 'bar',
      pos: { x: 0, y: 6, w: 14, h: 11 },
      title: 'widget.enterpriseByCategory',
      bind: ['appeals.enterpriseByCategory'],
      options: { taxonomy: 'category', limit: 8, horizontal: true },
    },
    {
      id: 'inspections',
      type: 'pie',
      pos: { x: 0, y: 17, w: 14, h: 10 },
      title: 'widget.inspectionsByKind',
      bind: ['inspections.byKind'],
      options: { taxonomy: 'field' },
    },
    { id: 'map', type: 'map', pos: { x: 14, y: 6, w: 22, h: 14 }, bind: ['map.communities', 'recent'], options: { legend: true } },
    {
      id: 'notice',
      type: 'text',
      pos: { x: 14, y: 20, w: 22, h: 7 },
      title: 'widget.notice',
      bind: [],
      options: {
        text: '园区企业服务专线：工作日 8:30–18:00 由社区党群服务中心受理，企业诉求 2 小时内联系、5 个工作日内办结。\n本月重点：厂房消防通道、危化品仓储、外墙广告牌安全检查。',
        size: 22,
      },
    },
    {
      id: 'queue',
      type: 'alertQueue',
      pos: { x: 36, y: 6, w: 12, h: 11 },
      title: 'widget.alertQueue',
      bind: ['alerts.queue'],
      options: { limit: 6 },
    },
    {
      id: 'recent',
      type: 'table',
      pos: { x: 36, y: 17, w: 12, h: 10 },
      title: 'widget.ticker',
      bind: ['recent'],
      options: { source: 'recent', limit: 20, secondsPerRow: 3 },
    },
  ],
};

const RIVER_KPIS: KpiItem[] = [
  { key: 'inspections.byKind', field: 'river', label: 'kpi.riverPatrols', format: 'count' },
  { key: 'inspections.issuesByKind', field: 'river', label: 'kpi.riverIssues', format: 'count', tone: 'alert' },
  { key: 'inspections.handledToday', label: 'kpi.handledToday', format: 'count', tone: 'good' },
  { key: 'alerts.open', label: 'kpi.alertsOpen', format: 'count', tone: 'alert' },
];

export const riverChief: Theme = {
  schema: 1,
  id: 'shajin-river',
  name: 'theme.river',
  description: '沙坣社区：坪山河沙坣段河长巡河',
  levels: ['community'],
  owner: RIVER_COMMUNITY,
  grid: GRID,
  widgets: [
    { id: 'title', type: 'title', pos: { x: 0, y: 0, w: 48, h: 2 }, bind: [], options: { subtitle: 'theme.river' } },
    {
      id: 'kpis',
      type: 'kpis',
      pos: { x: 0, y: 2, w: 36, h: 4 },
      bind: ['inspections.byKind', 'inspections.issuesByKind', 'inspections.handledToday', 'alerts.open'],
      options: { items: RIVER_KPIS },
    },
    { id: 'clock', type: 'clock', pos: { x: 36, y: 2, w: 12, h: 4 }, bind: [], options: { seconds: true, date: true } },
    {
      id: 'reach',
      type: 'image',
      pos: { x: 0, y: 6, w: 12, h: 10 },
      title: 'widget.riverReach',
      bind: [],
      options: { src: '/themes/river-shajin.svg', fit: 'contain', alt: '坪山河沙坣段示意图' },
    },
    {
      id: 'board',
      type: 'text',
      pos: { x: 0, y: 16, w: 12, h: 11 },
      title: 'widget.riverBoard',
      bind: [],
      options: {
        text: '河段：坪山河沙坣段（约 3.2 km）\n社区级河长：社区党委书记\n巡河要求：每日一巡，雨后加巡\n发现问题：现场处置，不能处置的上报街道河长办\n监督电话：12345',
        size: 20,
      },
    },
    {
      id: 'map',
      type: 'map',
      pos: { x: 12, y: 6, w: 24, h: 21 },
      bind: ['map.communities', 'recent'],
      options: { legend: true, layers: ['communities', 'points', 'cameras'] },
    },
    {
      id: 'daily',
      type: 'line',
      pos: { x: 36, y: 6, w: 12, h: 8 },
      title: 'widget.inspectionsDaily',
      bind: ['inspections.daily'],
      options: { area: true },
    },
    {
      id: 'issues',
      type: 'bar',
      pos: { x: 36, y: 14, w: 12, h: 6 },
      title: 'widget.issuesByKind',
      bind: ['inspections.issuesByKind'],
      options: { taxonomy: 'field', color: 2 },
    },
    { id: 'ticker', type: 'ticker', pos: { x: 36, y: 20, w: 12, h: 7 }, title: 'widget.ticker', bind: ['recent'], options: { limit: 8 } },
  ],
};
