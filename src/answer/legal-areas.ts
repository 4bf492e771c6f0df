/**
 * Legal areas and the laws that govern them. A question about an area none of whose laws is in the
 * knowledge base (criminal sentencing on a finance-only index) has no basis there, however well some
 * unrelated article happens to match its other words. Keywords are specific to the area, never generic
 * administrative words (处罚, 合同, 罚款), so the list holds for any index.
 */
import type { LawCatalog } from '../knowledge/catalog.ts';

export interface LegalArea {
  name: string;
  keywords: string[];
  /** Law titles (short names resolve too); `民法典:婚姻家庭编` names a book of a code. */
  laws: string[];
}

export const LEGAL_AREAS: LegalArea[] = [
  {
    name: '刑事犯罪与刑罚',
    keywords: ['判刑', '判几年', '坐牢', '刑期', '拘役', '有期徒刑', '无期徒刑', '死刑', '缓刑', '量刑', '盗窃', '抢劫', '抢夺', '故意伤害', '故意杀人', '轻伤', '重伤', '醉驾', '醉酒驾驶', '危险驾驶', '构成犯罪', '犯罪嫌疑人', '刑事拘留', '取保候审', '自首', '立案标准', '贩毒', '绑架', '非法经营罪', '假币', '偷税罪', '正当防卫', '刑事责任', '追刑责', '刑责', '判决有罪', '诈骗罪', '刑法'],
    laws: ['刑法', '刑事诉讼法'],
  },
  {
    name: '治安管理',
    keywords: ['打架', '斗殴', '骂人', '辱骂', '诽谤', '造谣', '治安拘留', '行政拘留', '赌博', '嫖娼', '扰民', '噪音', '噪声', '报警', '派出所'],
    laws: ['治安管理处罚法', '噪声污染防治法'],
  },
  {
    name: '民事诉讼与仲裁',
    keywords: ['民事官司', '民事诉讼', '民事案件', '一审判决', '二审', '再审', '上诉状', '起诉状', '诉讼费', '仲裁裁决', '仲裁委员会', '仲裁庭', '劳动仲裁', '申请仲裁', '劳动争议', '财产保全', '执行异议'],
    laws: ['民事诉讼法', '仲裁法', '劳动争议调解仲裁法'],
  },
  {
    name: '婚姻家庭',
    keywords: ['离婚', '结婚', '婚姻', '抚养权', '抚养费', '探望权', '彩礼', '夫妻', '婚前财产', '婚后', '家暴', '家庭暴力', '收养', '赡养', '结婚证', '再婚', '结婚登记'],
    laws: ['民法典:婚姻家庭编', '婚姻法', '反家庭暴力法', '收养法'],
  },
  {
    name: '继承',
    keywords: ['遗产', '继承', '继承人', '遗嘱', '继承顺序', '法定继承', '遗赠', '去世', '过世'],
    laws: ['民法典:继承编', '继承法'],
  },
  {
    name: '侵权与人身损害',
    keywords: ['被狗咬', '狗咬', '宠物', '饲养动物', '高空抛物', '人身损害', '精神损害', '医疗事故', '名誉权', '肖像权', '隐私权', '撞伤', '摔伤', '烫伤', '医药费', '误工费'],
    laws: ['民法典:侵权责任编', '民法典:人格权编', '侵权责任法'],
  },
  {
    name: '房产与物业',
    keywords: ['房产证', '不动产登记', '宅基地', '物业费', '物业公司', '业主', '小区', '拆迁', '房屋征收', '二手房', '过户', '房贷', '首付', '商品房', '装修'],
    laws: ['民法典:物权编', '物业管理条例', '国有土地上房屋征收与补偿条例', '城市房地产管理法'],
  },
  {
    name: '劳动与社会保险',
    keywords: ['劳动合同', '劳动仲裁', '辞退', '开除', '解雇', '裁员', '辞职', '离职', '加班费', '加班', '拖欠工资', '试用期', '工伤', '经济补偿金', '续签', '年休假', '带薪年假', '产假', '社保', '五险一金', '公积金', '医保', '养老金', '失业金', '失业保险', '失业保险金', '退休金', '延迟退休', '退休年龄', '聘用合同', '旷工', '骑手', '打工', '最低工资'],
    laws: ['劳动合同法', '劳动法', '社会保险法', '劳动争议调解仲裁法', '工伤保险条例', '住房公积金管理条例', '失业保险条例', '事业单位人事管理条例'],
  },
  {
    name: '税收',
    keywords: ['个人所得税', '个税', '专项附加扣除', '增值税', '企业所得税', '消费税', '退税', '纳税申报', '汇算清缴', '印花税', '房产税', '契税', '欠税', '纳税人', '税务局', '税务机关', '减除费用'],
    laws: ['个人所得税法', '税收征收管理法', '企业所得税法', '增值税暂行条例', '增值税法'],
  },
  {
    name: '彩票',
    keywords: ['彩票', '中奖', '福利彩票', '体育彩票'],
    laws: ['彩票管理条例'],
  },
  {
    name: '公司与证券',
    keywords: ['注册资本', '认缴', '实缴', '股东会', '公司章程', '股权转让', '股票', '股市', '证券', '上市公司', '有限责任公司', '股份有限公司'],
    laws: ['公司法', '证券法', '证券投资基金法'],
  },
  {
    name: '银行与借贷',
    keywords: ['信用卡', '逾期还款', '贷款利率', '网贷', '借钱不还', '欠条', '银行卡', '存款'],
    laws: ['商业银行法', '民法典:合同编'],
  },
  {
    name: '知识产权',
    keywords: ['商标', '专利', '著作权', '版权', '盗版', '抄袭', '软件著作权'],
    laws: ['商标法', '专利法', '著作权法'],
  },
  {
    name: '道路交通',
    keywords: ['交通事故', '驾驶证', '驾照', '酒驾', '酒后', '闯红灯', '违章', '扣分', '记分', '肇事', '逃逸', '车辆年检', '机动车', '电动车', '停车', '超速', '限速', '高速公路', '追尾'],
    laws: ['道路交通安全法', '道路交通安全法实施条例'],
  },
  {
    name: '教育',
    keywords: ['上学', '入学', '转学', '学区', '考研', '高考', '中考', '学位', '学历', '幼儿园', '小学', '义务教育', '学费'],
    laws: ['义务教育法', '教育法', '高等教育法', '学位法', '学前教育法'],
  },
  {
    name: '医疗卫生与药品',
    keywords: ['疫苗', '医院', '看病', '就医', '挂号', '处方', '传染病', '体检', '医生', '医疗纠纷', '献血', '狂犬疫苗'],
    laws: ['疫苗管理法', '基本医疗卫生与健康促进法', '药品管理法', '传染病防治法', '献血法', '医疗纠纷预防和处理条例'],
  },
  {
    name: '户籍、证件与出入境',
    keywords: ['户口', '户籍', '落户', '护照', '签证', '出国', '身份证', '出生证明', '港澳通行证', '居住证', '出入境'],
    laws: ['户口登记条例', '护照法', '出境入境管理法', '居民身份证法'],
  },
  {
    name: '律师与公证',
    keywords: ['当律师', '律师资格', '执业律师', '律师执业', '律师事务所', '法律职业资格', '公证处', '公证员', '办公证'],
    laws: ['律师法', '公证法'],
  },
  {
    name: '人口与生育',
    keywords: ['二胎', '三胎', '生育', '产检', '育儿补贴', '生孩子', '怀孕'],
    laws: ['人口与计划生育法'],
  },
  {
    name: '网络与个人账号',
    keywords: ['盗号', '被盗号', '账号被盗', '微信号', '游戏账号', '黑客', '网络游戏'],
    laws: ['网络安全法', '个人信息保护法'],
  },
  {
    name: '动物防疫',
    keywords: ['养狗', '犬只', '狂犬病', '宠物登记'],
    laws: ['动物防疫法'],
  },
  {
    name: '国家赔偿',
    keywords: ['国家赔偿', '冤案赔偿'],
    laws: ['国家赔偿法'],
  },
  {
    name: '政府投资与中小企业款项',
    keywords: ['政府投资项目', '垫资', '中小企业款项', '拖欠中小企业'],
    laws: ['政府投资条例', '保障中小企业款项支付条例'],
  },
];

/** Whether the catalog holds any current law (or code book) that governs the area. */
export function areaCovered(area: LegalArea, catalog: LawCatalog): boolean {
  return area.laws.some((spec) => {
    const [title, book] = spec.split(':') as [string, string | undefined];
    const versions = catalog.resolve(title).filter((v) => v.status === 'current');
    if (!book) return versions.length > 0;
    return versions.some((v) => v.books.some((b) => b === book || `${b}编` === book || b === book.replace(/编$/, '')));
  });
}

/** Keywords of the areas this catalog does not cover (computed once per index). */
export function uncoveredKeywords(catalog: LawCatalog, areas: LegalArea[] = LEGAL_AREAS): string[] {
  return areas.filter((a) => !areaCovered(a, catalog)).flatMap((a) => a.keywords);
}
