/** Strings of the video AI alerts: the wall's popup and the console's queue (merged into messages.ts). */
export const alertsZh = {
  alerts: {
    tab: '视频告警',
    popupTitle: '视频AI告警',
    place: '地点',
    time: '时间',
    confidence: '置信度',
    address: '位置',
    noSnapshot: '无抓拍图片',
    hide: '收起',
    moreWaiting: '另有 {n} 条告警待处置',
    open: '待处置告警 {n} 条',
    none: '当前没有待处置的告警',
    dismissReason: '误报原因（必填）',
    escalatedTo: { community: '社区', street: '已升级至街道', district: '已升级至区' },
    action: { acknowledge: '签收', confirm: '立案派遣', dismiss: '误报排除' },
  },
};

export const alertsEn: typeof alertsZh = {
  alerts: {
    tab: 'Video alerts',
    popupTitle: 'Video AI alert',
    place: 'Place',
    time: 'Time',
    confidence: 'Confidence',
    address: 'Where',
    noSnapshot: 'No snapshot',
    hide: 'Hide',
    moreWaiting: '{n} more alerts waiting',
    open: '{n} open alerts',
    none: 'No open alerts',
    dismissReason: 'Why it is a false positive (required)',
    escalatedTo: { community: 'Community', street: 'Escalated to the street', district: 'Escalated to the district' },
    action: { acknowledge: 'Acknowledge', confirm: 'Open a case', dismiss: 'False positive' },
  },
};
