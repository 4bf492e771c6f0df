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
    keywords: ['判刑', '坐牢', '刑期', '拘役', '有期徒刑', '无期徒刑', '死刑', '缓刑', '量刑', '盗窃', '抢劫', '抢夺', '故意伤害', '故意杀人', '醉驾', '醉酒驾驶', '危险驾驶', '构成犯罪', '犯罪嫌疑人', '刑事拘留', '取保候审', '自首', '立案标准', '贩毒', '绑架'],
    laws: ['刑法', '刑事诉讼法'],
  },
  {
    name: '婚姻家庭',
    keywords: ['离婚', '结婚', '婚姻', '抚养权', '抚养费', '探望权', '彩礼', '夫妻', '婚前财产', '家暴', '家庭暴力', '收养', '赡养'],
    laws: ['民法典:婚姻家庭编', '婚姻法', '反家庭暴力法', '收养法'],
  },
  {
    name: '继承',
    keywords: ['遗产', '继承人', '遗嘱', '继承顺序', '法定继承', '遗赠'],
    laws: ['民法典:继承编', '继承法'],
  },
  {
    name: '劳动与社会保险',
    keywords: ['劳动合同', '劳动仲裁', '辞退', '加班费', '拖欠工资', '试用期', '工伤', '经济补偿金', '续签', '年休假', '带薪', '社保', '医保', '养老金', '失业金', '就医', '退休金'],
    laws: ['劳动合同法', '劳动法', '社会保险法', '劳动争议调解仲裁法', '工伤保险条例'],
  },
  {
    name: '税收',
    keywords: ['个人所得税', '个税', '专项附加扣除', '增值税', '企业所得税', '消费税', '退税', '纳税申报', '汇算清缴', '印花税', '房产税', '契税'],
    laws: ['个人所得税法', '税收征收管理法', '企业所得税法', '增值税暂行条例', '增值税法'],
  },
  {
    name: '公司与证券',
    keywords: ['注册资本', '认缴', '实缴', '股东会', '公司章程', '股权转让', '股票', '股市', '证券', '上市公司'],
    laws: ['公司法', '证券法', '证券投资基金法'],
  },
  {
    name: '知识产权',
    keywords: ['商标', '专利', '著作权', '版权', '盗版'],
    laws: ['商标法', '专利法', '著作权法'],
  },
  {
    name: '道路交通',
    keywords: ['交通事故', '驾驶证', '驾照', '酒驾', '闯红灯', '违章', '肇事', '逃逸', '车辆年检', '机动车'],
    laws: ['道路交通安全法', '道路交通安全法实施条例'],
  },
  {
    name: '户籍、教育与出入境',
    keywords: ['户口', '户籍', '落户', '上学', '入学', '学区', '护照', '签证'],
    laws: ['户口登记条例', '义务教育法', '教育法', '护照法', '出境入境管理法'],
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
