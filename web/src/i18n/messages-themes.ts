/** Strings of the hall runtime and the themes (merged into messages.ts). */
export const themesZh = {
  hall: {
    paused: '已暂停轮播（操作结束 1 分钟后继续）',
    missing: '本大厅没有主题“{id}”',
  },
  theme: {
    overview: '综合态势',
    appeals: '民生诉求',
    video: '视频事件',
    grid: '网格治理',
    components: '城市部件与智慧码',
    industrial: '园区企业服务',
    river: '河长制巡河',
    /** The generated community themes, by focus (shared/src/themes/builtin/community-x.ts). */
    x: {
      enterprise: '园区企业服务',
      river: '河长制巡河',
      rental: '出租屋与实有人口',
      facilities: '市政设施与智慧码',
      video: '视频巡查',
      livelihood: '民生服务',
    },
  },
};

export const themesEn: typeof themesZh = {
  hall: {
    paused: 'Rotation paused (resumes 1 min after you stop)',
    missing: 'This hall has no theme "{id}"',
  },
  theme: {
    overview: 'Overview',
    appeals: 'Citizen appeals',
    video: 'Video events',
    grid: 'Grid governance',
    components: 'City components & smart codes',
    industrial: 'Enterprise services',
    river: 'River patrols',
    x: {
      enterprise: 'Enterprise services',
      river: 'River patrols',
      rental: 'Rentals & residents',
      facilities: 'Facilities & smart codes',
      video: 'Video patrols',
      livelihood: 'Livelihood services',
    },
  },
};
