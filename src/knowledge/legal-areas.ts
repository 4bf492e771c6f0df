/**
 * Legal areas and the laws that govern them. A question about an area none of whose laws is in the
 * knowledge base (criminal sentencing on a finance-only index) has no basis there, however well some
 * unrelated article happens to match its other words. Each area lists the words people and laws use for
 * its matters, written from knowledge of the area (never from the wording of a question set); a word the
 * index's own texts use as well drops out for that index (uncoveredKeywords), so the lists hold for any index.
 *
 * A keyword may be a combination, `公务员+工资`: the question names all its parts, in any order and apart
 * (「公务员的工资由哪几部分构成」). Each part alone belongs to a law the index may hold (公务员 to the 政务处分法,
 * 工资 to a contract), but together they name a matter of another area (civil-service pay, 公务员法); the
 * combination drops out only when the index's texts hold its parts together.
 */
import type { LawCatalog } from './catalog.ts';

/** Separates the parts of a combined keyword. */
export const KEYWORD_JOIN = '+';

/** The parts a keyword needs in the question: itself, or each part of a combination. */
export const keywordParts = (keyword: string): string[] => keyword.split(KEYWORD_JOIN);

/** Whether a question names a keyword (all parts of a combination, anywhere in it). */
export const namesKeyword = (question: string, keyword: string): boolean => keywordParts(keyword).every((p) => question.includes(p));

export interface LegalArea {
  name: string;
  keywords: string[];
  /** Law titles (short names resolve too); `民法典:婚姻家庭编` names a book of a code. */
  laws: string[];
}

export const LEGAL_AREAS: LegalArea[] = [
  {
    name: '刑事犯罪与刑罚',
    keywords: [
      '犯罪', '罪名', '判刑', '判几年', '坐牢', '刑期', '有期徒刑', '无期徒刑', '死刑', '拘役', '缓刑', '假释', '减刑', '量刑', '数罪并罚',
      '累犯', '自首', '立功', '正当防卫', '刑事责任', '刑事责任年龄', '周岁+刑事责任', '岁+刑事责任', '未成年人+刑事责任', '孩子+刑事责任', '未成年人+犯罪', '追究刑事', '刑责', '盗窃', '抢劫', '抢夺', '诈骗罪', '故意伤害',
      '故意杀人', '过失致人死亡', '强奸', '绑架', '拐卖', '贩毒', '醉驾', '醉酒驾驶', '危险驾驶', '交通肇事罪', '非法集资', '集资诈骗',
      '洗钱', '行贿罪', '受贿罪', '贪污罪', '职务侵占', '非法拘禁', '寻衅滋事', '聚众斗殴', '犯罪嫌疑人', '被告人', '刑事拘留', '逮捕',
      '取保候审', '监视居住', '公诉', '立案标准', '数额较大', '轻伤', '重伤', '刑法', '坐过牢', '前科',
    ],
    laws: ['刑法', '刑事诉讼法'],
  },
  {
    name: '治安管理',
    keywords: ['治安管理处罚', '治安拘留', '行政拘留', '打架', '斗殴', '骂人', '辱骂', '诽谤', '造谣', '赌博', '嫖娼', '卖淫', '扰民', '噪音', '噪声', '报警', '派出所', '偷拍', '醉酒闹事'],
    laws: ['治安管理处罚法', '噪声污染防治法'],
  },
  {
    name: '民事诉讼与仲裁',
    keywords: [
      '民事诉讼', '民事官司', '民事案件', '起诉状', '立案', '诉讼费', '一审', '二审', '终审', '再审', '上诉期', '判决书', '执行局', '申请执行',
      '执行异议', '财产保全', '诉前保全', '管辖法院', '仲裁委员会', '仲裁裁决', '仲裁协议', '劳动仲裁', '劳动争议', '调解书', '支付令', '举证期限',
      '法律援助', '律师费', '开庭', '传票', '被执行人', '失信被执行人', '老赖',
    ],
    laws: ['民事诉讼法', '仲裁法', '劳动争议调解仲裁法'],
  },
  {
    name: '婚姻家庭',
    keywords: ['离婚', '结婚', '婚姻', '抚养权', '抚养费', '探望权', '彩礼', '夫妻', '婚前财产', '婚后财产', '家暴', '家庭暴力', '收养', '赡养', '结婚证', '离婚证', '再婚', '结婚登记', '重婚', '同居', '子女抚养', '亲子鉴定', '离婚冷静期', '协议离婚', '夫妻共同财产', '夫妻共同债务', '婚姻登记'],
    laws: ['民法典:婚姻家庭编', '婚姻法', '反家庭暴力法', '收养法'],
  },
  {
    name: '继承',
    keywords: ['遗产', '继承', '继承人', '遗嘱', '继承顺序', '法定继承', '遗赠', '去世', '过世', '遗产分割', '房产继承', '代位继承'],
    laws: ['民法典:继承编', '继承法'],
  },
  {
    name: '侵权与人身损害',
    keywords: ['被狗咬', '狗咬', '宠物', '饲养动物', '高空抛物', '人身损害', '精神损害', '医疗事故', '医疗损害', '名誉权', '肖像权', '隐私权', '撞伤', '摔伤', '烫伤', '医药费', '误工费', '护理费', '残疾赔偿金', '死亡赔偿金', '侵权责任'],
    laws: ['民法典:侵权责任编', '民法典:人格权编', '侵权责任法'],
  },
  {
    name: '房产、土地与物业',
    keywords: ['房产证', '不动产登记', '宅基地', '物业费', '物业公司', '业主', '业委会', '小区', '拆迁', '房屋征收', '征地', '土地承包', '二手房', '过户', '房贷', '首付', '商品房', '预售', '开发商', '装修', '产权', '共有产权', '租房', '房租',
      '维修资金', '维修基金', '专项维修', '业主大会', '业主共有', '共有部分', '建筑物区分所有权', '相邻关系', '地役权', '抵押权', '质权', '留置权', '善意取得', '遗失物', '集体土地', '土地补偿', '安置补助', '征收+土地', '耕地', '承包地', '承包期'],
    laws: ['民法典:物权编', '物业管理条例', '国有土地上房屋征收与补偿条例', '城市房地产管理法', '土地管理法', '农村土地承包法'],
  },
  {
    name: '劳动与社会保险',
    keywords: [
      '劳动合同', '劳动关系', '用人单位', '劳动者', '辞退', '开除', '解雇', '裁员', '辞职', '离职', '加班', '加班费', '工资', '拖欠工资', '最低工资',
      '试用期', '工伤', '工伤认定', '职业病', '经济补偿', '经济补偿金', '赔偿金', '续签', '无固定期限', '竞业限制', '年休假', '年假', '带薪年假',
      '产假', '婚假', '病假', '社保', '五险一金', '养老保险', '医疗保险', '失业保险', '失业金', '生育保险', '公积金', '医保', '养老金', '退休金',
      '退休年龄', '延迟退休', '事业单位聘用', '聘用合同', '旷工', '劳务派遣', '骑手', '打工', '农民工',
      '社会保险费', '社保+缴费', '社会保险+职工', '社会保险+员工', '社会保险+缴纳', '社会保险+参保', '社保+转移', '医保+报销', '养老保险+缴费', '视同缴费', '社会保险经办', '社保经办', '缴费年限', '养老保险金', '基本养老金', '停工留薪', '工伤保险',
    ],
    laws: ['劳动合同法', '劳动法', '社会保险法', '劳动争议调解仲裁法', '工伤保险条例', '住房公积金管理条例', '失业保险条例', '事业单位人事管理条例'],
  },
  {
    name: '税收',
    keywords: ['个人所得税', '个税', '专项附加扣除', '增值税', '企业所得税', '消费税', '关税', '退税', '纳税', '纳税人', '纳税申报', '报税', '汇算清缴', '印花税', '房产税', '契税', '土地增值税', '车船税', '欠税', '偷税', '逃税', '税务局', '税务机关', '税率', '免税', '起征点'],
    laws: ['个人所得税法', '税收征收管理法', '企业所得税法', '增值税暂行条例', '增值税法'],
  },
  {
    name: '彩票',
    keywords: ['彩票', '中奖', '福利彩票', '体育彩票', '彩民'],
    laws: ['彩票管理条例'],
  },
  {
    name: '公司、证券与企业登记',
    keywords: ['注册资本', '认缴', '实缴', '股东', '股东会', '董事长', '公司章程', '股权', '股权转让', '分红', '股票', '股市', '证券', '上市公司', '有限责任公司', '股份有限公司', '一人公司', '一人有限责任公司', '抽逃出资', '认缴出资', '出资期限', '公司解散', '公司注销', '股东+分红', '股东+表决权', '营业执照', '注册公司', '个体工商户', '合伙企业', '破产', '清算'],
    laws: ['公司法', '证券法', '证券投资基金法', '市场主体登记管理条例', '企业破产法'],
  },
  {
    name: '银行、借贷与保险',
    keywords: ['信用卡', '逾期还款', '贷款利率', '网贷', '借钱不还', '欠条', '借条', '高利贷', '民间借贷', '银行卡', '存款', '理财产品', '保险公司', '理赔', '保单', '投保'],
    laws: ['商业银行法', '保险法', '民法典:合同编'],
  },
  {
    name: '知识产权',
    keywords: ['商标', '专利', '专利权', '专利+保护', '专利+期限', '专利+年费', '商标+续展', '注册商标', '作品+保护期', '著作权+期限', '发表权', '著作权', '版权', '盗版', '抄袭', '软件著作权', '发明', '实用新型', '外观设计', '商业秘密', '侵犯知识产权'],
    laws: ['商标法', '专利法', '著作权法'],
  },
  {
    name: '道路交通',
    keywords: ['交通事故', '驾驶证', '驾照', '酒驾', '醉驾', '酒后驾驶', '闯红灯', '违章', '扣分', '记分', '肇事', '逃逸', '车辆年检', '机动车', '电动车', '非机动车', '停车', '超速', '限速', '高速公路', '追尾', '行车', '车险', '交警'],
    laws: ['道路交通安全法', '道路交通安全法实施条例'],
  },
  {
    name: '教育',
    keywords: ['上学', '入学', '转学', '学区', '考研', '高考', '中考', '学位', '学历', '幼儿园', '小学', '中学', '大学', '义务教育', '学费', '学籍', '校园', '教师资格'],
    laws: ['义务教育法', '教育法', '高等教育法', '学位法', '学前教育法', '教师法'],
  },
  {
    name: '医疗卫生与药品',
    keywords: ['疫苗', '医院', '看病', '就医', '挂号', '处方', '处方药', '传染病', '体检', '医生', '医疗纠纷', '献血', '狂犬疫苗', '药店', '假药', '医疗机构', '病历'],
    laws: ['疫苗管理法', '基本医疗卫生与健康促进法', '药品管理法', '传染病防治法', '献血法', '医疗纠纷预防和处理条例'],
  },
  {
    name: '户籍、证件与出入境',
    keywords: ['户口', '户籍', '落户', '迁户口', '护照', '签证', '出国', '出境', '入境', '身份证', '出生证明', '港澳通行证', '居住证', '暂住证', '外国人'],
    laws: ['户口登记条例', '护照法', '出境入境管理法', '居民身份证法'],
  },
  {
    name: '律师、公证与法律职业',
    keywords: ['律师', '律师事务所', '律所', '法律职业资格', '司法考试', '法考', '公证处', '公证员', '办公证', '公证书'],
    laws: ['律师法', '公证法'],
  },
  {
    name: '人口与生育',
    keywords: ['二胎', '三胎', '生育', '产检', '育儿补贴', '生孩子', '怀孕', '计划生育'],
    laws: ['人口与计划生育法'],
  },
  {
    name: '网络与个人信息',
    keywords: ['盗号', '被盗号', '账号被盗', '游戏账号', '黑客', '网络游戏', '网络暴力', '人肉搜索', '个人信息保护'],
    laws: ['网络安全法', '个人信息保护法'],
  },
  {
    name: '动物、环境与食品',
    keywords: ['养狗', '犬只', '狂犬病', '宠物登记', '动物防疫', '排污', '污染', '环评', '垃圾分类', '食品安全', '过期食品', '食品经营许可'],
    laws: ['动物防疫法', '环境保护法', '食品安全法'],
  },
  {
    name: '公务员管理',
    // The 政务处分法 speaks of 公务员 and their 处分; their hiring, appraisal, pay, promotion and leaving are the 公务员法's.
    keywords: [
      '公务员法', '公务员录用', '公务员考核', '年度考核', '定期考核', '考核等次', '基本称职', '公务员+考核', '公务员+工资', '公务员+津贴', '公务员+奖金',
      '公务员+晋升', '公务员+辞职', '辞去公职', '公务员+辞退', '公务员+退休', '公务员+交流', '公务员+调任', '公务员+招录', '公务员+考试', '公务员+薪酬', '公务员+录用', '公务员+待遇', '公务员+试用期',
      '公务员+职级', '职级晋升', '职务职级', '公务员+福利', '公务员+休假', '辞退费', '遴选', '挂职锻炼', '聘任制公务员',
    ],
    laws: ['公务员法'],
  },
  {
    name: '安全生产',
    keywords: ['安全生产', '生产安全事故', '安全生产责任', '安全生产许可', '特种作业', '安全隐患', '应急救援预案', '重大危险源'],
    laws: ['安全生产法'],
  },
  {
    name: '广告与市场竞争',
    keywords: ['广告法', '广告代言', '广告审查', '户外广告', '商业秘密', '不正当竞争', '商业贿赂', '混淆行为', '商业诋毁', '有奖销售', '垄断协议', '滥用市场支配地位', '经营者集中'],
    laws: ['广告法', '反不正当竞争法', '反垄断法'],
  },
  {
    name: '未成年人保护',
    keywords: ['未成年人保护', '网吧', '上网服务营业场所', '营业性娱乐场所', 'ktv', '监护人+孩子', '留守儿童', '校园欺凌', '学生欺凌', '防沉迷'],
    laws: ['未成年人保护法', '预防未成年人犯罪法'],
  },
  {
    name: '政府投资与建设项目',
    // The 预算法 funds projects; which projects, their feasibility studies and approvals are the 政府投资条例's.
    keywords: ['政府投资', '可行性研究', '项目建议书', '初步设计', '投资概算', '项目审批', '核准', '建设工程质量', '竣工验收'],
    laws: ['政府投资条例', '建设工程质量管理条例', '企业投资项目核准和备案管理条例'],
  },
  {
    name: '国家赔偿',
    keywords: ['国家赔偿', '冤案', '错案赔偿', '刑事赔偿'],
    laws: ['国家赔偿法'],
  },
  {
    name: '兵役与退役军人',
    keywords: ['当兵', '参军', '征兵', '兵役', '退役军人', '退伍', '复员', '军人'],
    laws: ['兵役法', '退役军人保障法'],
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

/**
 * Keywords of the areas this catalog does not cover (computed once per index). A keyword the index's own
 * texts use (`textsUse`: 用人单位 in the checklist's laws, 仲裁 in the 合同编) tells nothing about another area.
 */
export function uncoveredKeywords(catalog: LawCatalog, textsUse: (word: string) => boolean = () => false, areas: LegalArea[] = LEGAL_AREAS): string[] {
  return areas.filter((a) => !areaCovered(a, catalog)).flatMap((a) => a.keywords).filter((k) => !textsUse(k));
}
