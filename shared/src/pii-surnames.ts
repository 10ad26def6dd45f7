/**
 * Chinese family names for the name detectors of pii-text.ts: a name found after a cue must start
 * with one of them, and an honorific (`王建国先生`) is only read as a full name when it does.
 *
 * The single-character list is roughly the 200 most common family names (by population), minus a
 * few that are far more often a function word than a surname in a complaint (和 时 明 都 那 来 由
 * 但 区 门 楼): missing one of those only means that a rare name after a cue goes unmasked unless
 * the record knows it.
 */

/** Common single-character family names. */
export const SINGLE_SURNAMES: ReadonlySet<string> = new Set(
  Array.from(
    '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩邓冯曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付傅方邹熊白孟秦邱侯江尹薛闫严段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴莫孔向常汤康易乔赖文施洪辛柯庄樊葛牛邢安齐伍庞颜倪聂章鲁岳翟殷詹申耿关兰焦俞左柳甘祝包宁符舒阮纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游靳欧管柴蒙鲍华喻祁房滕屈饶解牟艾尤阳穆农卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩佘池查麻苑迟邝尚温',
  ),
);

/** Compound family names: a name starting with one of them keeps both characters when masked. */
export const COMPOUND_SURNAMES: ReadonlySet<string> = new Set([
  ...'欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 端木 西门'.split(' '),
  ...'南宫 独孤 百里 呼延 澹台 公羊 万俟 闻人 赫连 钟离 申屠 濮阳 太史 左丘 东郭 单于'.split(' '),
]);

/**
 * Ordinary words (and place names) that start with a family-name character: after a cue
 * (`业主方面表示`, `租户马上搬走`, `我是江苏人`) they are never read as a name.
 */
export const SURNAME_WORDS: readonly string[] = [
  // words
  ...'高度 高兴 高层 高楼 高空 高温 高压 高峰 高中 高速 高价 马上 马路 方面 方便 方式 方法 方案 方向 方可'.split(' '),
  ...'安全 安排 安装 安静 安置 常常 常见 常年 万一 万元 于是 向来 车辆 车位 车库 车主 房屋 房子 房东 房间'.split(' '),
  ...'房租 路过 路灯 路面 路口 成立 成功 成为 华为 文明 文件 关于 关系 关注 关闭 包括 宁愿 尚未 管理 管道'.split(' '),
  ...'连续 单位 单元 全部 全体 应该 应当 江边 龙头 周边 周围 周末 黄色 余额 程序 陈述 任何 任务 何时 夏天'.split(' '),
  ...'毛病 谢谢 许多 许可 钱款 施工 金额 石头 田地 白天 白色 林地 叶子 苏醒 曾经 史上 严重 严格 齐全'.split(' '),
  ...'申请 申报 甘心 包装 符合 童年 成本 苗头 古老 吉利 简单 项目 连接 景区 党员 宫殿 费用 冷气 米饭 宗教'.split(' '),
  ...'师傅 全面 应急 商户 商铺 商家 沙子 荣誉 温度 温馨 易燃 康复 邻居 尤其 戴口 孔洞 左右 左边 柳树 梅雨'.split(' '),
  ...'霍乱 曲折 蓝色 游客 游泳 管网 华南 房产'.split(' '),
  // places (a person "is" from them: 我是江苏人)
  ...'江苏 江西 江门 黄山 黄石 温州 常州 贺州 梅州 惠州 潮州 罗湖 龙岗 龙华 金华 吉林 安徽 安阳 贵州 贵阳'.split(' '),
  ...'宁夏 宁波 苏州 杭州 武汉 郑州 沈阳 石家庄 汕头 韶关 湛江 茂名 肇庆 河源 阳江 清远 东莞 中山 揭阳 云浮'.split(' '),
  ...'珠海 佛山 南山 宝安 坪山 光明 福田 盐田 大鹏 香港 澳门 台湾 广东 广西 广州 深圳 北京 上海 天津 重庆'.split(' '),
  ...'兰州 南京 南昌 南宁 长沙 长春 海南 海口 昆明 成都 西安 太原 济南 青岛 厦门 福州 合肥 哈尔滨 乌鲁木齐'.split(' '),
];
