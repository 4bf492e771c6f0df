/**
 * Law routing: which laws, and which kind of law, a question belongs to, decided from area signals before the
 * article is chosen. Over the whole collection (1,500 laws, 64,000 articles) the right article usually loses
 * to a look-alike in another field's law — a criminal question lands in a procedural rulebook, a lease
 * question in a procurement law — so the retriever first asks which field the question is in (criminal:
 * 判刑/坐牢/被抓; civil procedure: 起诉/哪个法院/证据; labour, land, traffic, family…), then searches that
 * field's laws as well as the whole collection and gives their articles a bonus.
 *
 * The areas and their laws are written from legal knowledge (which statutes, regulations and judicial
 * interpretations govern a field), never from the wording of evaluation questions. The checklist's laws are
 * preferred only when the question is about the bureau's own work or names a checklist law.
 */
import type { Chunk } from '../knowledge/types.ts';

/** The kind of a law in the collection, from its category (the law database's menu). */
export type LawKind = 'law' | 'regulation' | 'interpretation' | 'rule' | 'case' | 'other';

const KIND_OF_CATEGORY: Record<string, LawKind> = {
  宪法: 'law',
  宪法相关法: 'law',
  民法典: 'law',
  民法商法: 'law',
  行政法: 'law',
  经济法: 'law',
  社会法: 'law',
  刑法: 'law',
  诉讼与非诉讼程序法: 'law',
  行政法规: 'regulation',
  监察法规: 'regulation',
  地方性法规: 'regulation',
  司法解释: 'interpretation',
  部门规章: 'rule',
  案例: 'case',
};

export function lawKindOf(category: string): LawKind {
  return KIND_OF_CATEGORY[category] ?? 'other';
}

/** Which laws of the collection belong to an area: a title pattern, optionally only some of its chapters (民法典 编). */
interface LawSelector {
  title: RegExp;
  /** The article's heading path must match (民法典 婚姻家庭编, 侵权责任编 第五章…). */
  path?: RegExp;
  /**
   * How much of the area's bonus the law gets (default 1): the statute people's rights stand in comes first,
   * the rulebooks that repeat it for officials (检察院规则, 公安机关程序规定) and narrower interpretations after.
   */
  weight?: number;
}

export interface Area {
  id: string;
  /** Words that place a question in the area on their own: each distinct one found counts 1. */
  strong: RegExp;
  /** Words that point to the area but also occur elsewhere: WEAK_SIGNAL when any is found. */
  weak?: RegExp;
  laws: LawSelector[];
}

/** Weight of a weak signal: two areas sharing a common word (公司, 孩子) should not both be sure. */
export const WEAK_SIGNAL = 0.5;
/** An area whose signals reach less than this share of the best area's is left out (the question is elsewhere). */
export const MIN_AREA_SHARE = 0.34;
/** Weight of a rulebook for officials that repeats a statute (检察院刑事诉讼规则, 公安机关程序规定). */
const RULEBOOK = 0.3;
/** Weight of the narrower interpretations and rules of an area, beside its statutes. */
const NARROW = 0.6;

const CN = '中华人民共和国';
const t = (s: string) => new RegExp(`^(?:${CN})?(?:${s})$`);
/** Judicial interpretations whose title contains a phrase (最高人民法院关于审理…案件适用法律…). */
const interp = (s: string) => new RegExp(`^最高人民(?:法院|检察院).*(?:${s})`);

/** The areas of law that ordinary people ask about. Laws are matched by title (the 中华人民共和国 prefix optional). */
export const AREAS: Area[] = [
  {
    id: 'criminal',
    strong: /坐牢|判刑|判几年|判多少年|判多久|会判|被判|量刑|蹲监狱|进监狱|有期徒刑|拘役|缓刑|刑事责任|犯罪|犯法|[什么哪个]罪|罪名|构成.{0,6}罪|算.{0,4}罪|定罪|刑法|自首|立功|累犯|前科|正当防卫|防卫过当|醉驾|醉酒驾驶/,
    weak: /报警|被抓|抓了|偷|盗|抢|骗|赌|毒品|吸毒|杀|打伤|打死|砍|强奸|猥亵|拐卖|绑架|勒索|敲诈|贪污|受贿|行贿|洗钱|走私|假币|传销|非法集资/,
    laws: [{ title: t('刑法|刑法修正案.*') }, { title: /^最高人民(?:法院|检察院).*刑事案件/ }, { title: interp('刑法') }],
  },
  {
    id: 'criminal_procedure',
    strong: /刑事|刑拘|拘留所|看守所|逮捕|批捕|取保|候审|监视居住|羁押|侦查|公诉|审查起诉|不起诉|检察院|检察官|辩护|会见|犯罪嫌疑人|被告人|刑事案件|刑事诉讼|认罪认罚|附带民事|自诉|公安.{0,4}立案|减刑|假释|监外执行|社区矫正|死刑复核/,
    weak: /被抓|抓走|带走|公安局|警察|律师|开庭|判决|上诉|二审|再审|申诉|证人|立案|报案/,
    laws: [
      { title: t('刑事诉讼法') },
      { title: /关于适用《中华人民共和国刑事诉讼法》的解释/, weight: NARROW },
      { title: /人民检察院刑事诉讼规则|公安机关办理刑事案件程序规定/, weight: RULEBOOK },
      { title: t('法律援助法|社区矫正法'), weight: NARROW },
    ],
  },
  {
    id: 'civil_procedure',
    strong: /起诉|打官司|告到法院|去法院告|法院告|哪个法院|哪里的法院|管辖|举证|证据|一审|二审|上诉|再审|开庭|传票|传唤|送达|缺席|撤诉|诉讼费|强制执行|申请执行|执行款|财产保全|诉前保全|失信被执行人|限制高消费|限高|老赖|支付令|小额诉讼|简易程序|判决书|调解书|民事诉讼|诉讼时效|反诉/,
    weak: /法院|法官|律师|判决|立案|查封|冻结|拍卖|告他|告对方|执行/,
    laws: [
      { title: t('民事诉讼法') },
      { title: /关于适用《中华人民共和国民事诉讼法》的解释|民事诉讼证据|诉讼费用交纳办法|限制被执行人高消费|失信被执行人/, weight: NARROW },
      { title: /^最高人民法院关于.*执行|民事诉讼|以法院专递方式邮寄送达|人民法院在线诉讼规则/, weight: RULEBOOK },
    ],
  },
  {
    id: 'labour',
    strong: /工资|加班|辞退|开除|解雇|裁员|辞职|离职|劳动合同|试用期|社保|五险|公积金|工伤|产假|陪产假|育儿假|年假|年休假|病假|医疗期|经济补偿|补偿金|劳动仲裁|劳动争议|劳务派遣|农民工|包工头|欠薪|退休|养老金|养老保险|失业金|失业保险|医保|生育保险|竞业|用人单位|劳动者|上班|下班|入职|转正|调岗|降薪/,
    weak: /公司|单位|老板|员工|职工|厂里|工厂|领导|雇|打工/,
    laws: [
      { title: t('劳动合同法|劳动合同法实施条例|劳动法|社会保险法|劳动争议调解仲裁法|就业促进法|工会法') },
      { title: /^(?:工伤保险条例|失业保险条例|女职工劳动保护特别规定|职工带薪年休假条例|企业职工带薪年休假实施办法|保障农民工工资支付条例|劳动保障监察条例|工资支付暂行规定|社会保险费征缴暂行条例|住房公积金管理条例|国务院关于职工工作时间的规定|最低工资规定|工伤认定办法)$/ },
      { title: /劳动争议|拒不支付劳动报酬|工伤保险/, weight: NARROW },
    ],
  },
  {
    id: 'land_property',
    strong: /房东|租客|租房|房租|租金|转租|退租|买房|卖房|二手房|商品房|开发商|交房|房产证|不动产|过户|产权|物业|业主|小区|维修基金|维修资金|车位|宅基地|承包地|土地承包|征地|征收|拆迁|违建|违章建筑|相邻|邻居|采光|通风|漏水|装修/,
    weak: /房子|房屋|土地|村里|农村|楼上|楼下|院子|围墙/,
    laws: [
      { title: t('民法典'), path: /物权编|租赁合同|物业服务合同|相邻/ },
      { title: t('土地管理法|土地管理法实施条例|农村土地承包法|城市房地产管理法|农村土地承包经营纠纷调解仲裁法') },
      { title: /^(?:国有土地上房屋征收与补偿条例|不动产登记暂行条例|物业管理条例)$/ },
      { title: /物业服务纠纷|建筑物区分所有权|商品房买卖合同|城镇房屋租赁合同|农村土地承包|房屋征收|物权编|国有土地使用权/, weight: NARROW },
    ],
  },
  {
    id: 'traffic',
    strong: /开车|驾驶|驾照|驾驶证|车祸|交通事故|交警|闯红灯|超速|超载|酒驾|醉驾|酒后|肇事|逃逸|交强险|车险|三者险|行人|电动车|电瓶车|摩托|机动车|非机动车|违章|扣分|撞了|撞到|撞伤|追尾|刮蹭|搭车|顺风车|网约车|代驾|停车/,
    weak: /车|司机|路上|马路|保险公司/,
    laws: [
      { title: t('道路交通安全法|道路交通安全法实施条例') },
      { title: /^机动车交通事故责任强制保险条例$/ },
      { title: /^(?:道路交通事故处理程序规定|道路交通安全违法行为处理程序规定|道路交通安全违法行为记分管理办法)$/, weight: RULEBOOK },
      { title: /道路交通事故|交通肇事/ },
      { title: t('民法典'), path: /机动车交通事故责任/ },
    ],
  },
  {
    id: 'family_inheritance',
    strong: /离婚|结婚|老公|老婆|丈夫|妻子|夫妻|配偶|婚前|婚后|彩礼|嫁妆|抚养费|抚养权|探望|赡养|遗嘱|遗产|继承|遗赠|家暴|家庭暴力|领证|同居|出轨|小三|收养|领养|继父|继母|私生子|非婚生|亲子鉴定|冷静期|分居/,
    weak: /去世|过世|死后|走了|父母|爸妈|儿子|女儿|孩子|兄弟|姐妹|爷爷|奶奶|外公|外婆|孙子|监护/,
    laws: [
      { title: t('民法典'), path: /婚姻家庭编|继承编/ },
      { title: /婚姻家庭编|继承编|彩礼/, weight: NARROW },
      { title: t('反家庭暴力法|妇女权益保障法|老年人权益保障法') },
      { title: /^婚姻登记条例$/, weight: RULEBOOK },
    ],
  },
  {
    id: 'consumer',
    strong: /商家|卖家|店家|网购|网店|淘宝|京东|拼多多|直播带货|退货|退款|换货|假货|三包|保修|售后|外卖|快递|会员卡|充值卡|预付卡|办卡|储值|健身房|美容院|理发店|过期|保质期|消费者|霸王条款|最终解释权|七天无理由|无理由退|大数据杀熟|价格欺诈|假一赔|十倍|三倍|旅行社|跟团|导游/,
    weak: /买|店|超市|商场|饭店|餐厅|食品|质量|平台|客服|发票|价格|广告/,
    laws: [
      { title: t('消费者权益保护法|电子商务法|产品质量法|食品安全法|价格法|广告法|旅游法|个人信息保护法|反不正当竞争法') },
      { title: /^(?:快递暂行条例|侵害消费者权益行为处罚办法|食品安全法实施条例|消费者权益保护法实施条例)$/ },
      { title: /网络消费|预付式消费|食品药品|食品安全民事|消费民事|买卖合同纠纷/ },
    ],
  },
  {
    id: 'contract_tort',
    strong: /合同|违约|定金|订金|借钱|借款|借条|欠条|欠钱|欠款|还钱|利息|高利贷|担保人|保证人|作保|赔偿|赔钱|侵权|名誉|隐私|肖像|造谣|精神损失|精神损害|医药费|误工费|狗|宠物|高空抛物|坠物|帮工|雇人|中介|承揽|诉讼时效|无效|撤销/,
    weak: /受伤|摔伤|打伤|损失|欠|借|骗|签了|约定|反悔|不还/,
    laws: [
      { title: t('民法典'), path: /总则|合同编|侵权责任编|人格权编/ },
      { title: /民间借贷|人身损害赔偿|精神损害赔偿|合同编通则|担保制度|侵权责任编|买卖合同纠纷|总则编/ },
    ],
  },
  {
    id: 'administrative',
    strong: /罚款|罚单|被罚|处罚|行政拘留|治安|派出所|城管|执法|吊销|执照|许可证|行政许可|复议|行政诉讼|告政府|民告官|政府信息|信息公开|国家赔偿|听证|强拆|强制拆除|没收|信访|上访|行政机关|行政处罚/,
    weak: /政府|公安|警察|街道|居委会|市场监管|税务|部门|拘留/,
    laws: [
      { title: t('行政处罚法|治安管理处罚法|行政复议法|行政复议法实施条例|行政诉讼法|行政强制法|行政许可法|国家赔偿法|政府信息公开条例') },
      { title: /^(?:信访工作条例|信访条例)$/ },
      { title: /行政诉讼|国家赔偿|政府信息公开行政案件|行政案件/ },
    ],
  },
  {
    id: 'company_business',
    strong: /股东|股份|股权|持股|注册资本|出资|认缴|实缴|董事|监事|法定代表人|分红|破产|清算|注销|合伙|个体户|个体工商户|营业执照|一人公司|有限公司|有限责任公司|股份公司|挂名|代持|公司章程|公司债务|开公司|开店|做生意|创业/,
    weak: /公司|老板|法人|企业|生意|经营/,
    laws: [
      { title: t('公司法|企业破产法|合伙企业法|个人独资企业法|市场主体登记管理条例|公司登记管理条例') },
      { title: /^(?:促进个体工商户发展条例|个体工商户条例)$/ },
      { title: /公司法|企业破产/ },
    ],
  },
  {
    id: 'minors_education',
    strong: /未成年|不满十八|学校|老师|班主任|校长|幼儿园|托儿所|上学|入学|辍学|退学|义务教育|学生|学费|作业|体罚|校园|霸凌|欺凌|网吧|游戏|打赏|童工|留守|家庭教育|监护人|[0-9一二三四五六七八九十]{1,3}岁的?(?:孩子|小孩|儿子|女儿|学生|男孩|女孩|少年)/,
    weak: /孩子|小孩|儿子|女儿|小朋友|初中|高中|小学|岁/,
    laws: [
      { title: t('未成年人保护法|义务教育法|预防未成年人犯罪法|学前教育法|家庭教育促进法|教育法|教师法') },
      { title: /^(?:未成年人网络保护条例|禁止使用童工规定|校车安全管理条例)$/ },
      { title: /未成年人/ },
      { title: t('民法典'), path: /监护|责任主体的特殊规定/ },
    ],
  },
];

/**
 * Words of someone asking about their own affairs or family (and the passive 被, done to them). A question that
 * speaks of 单位 or 部门 without any of them is staff asking about their work: 「单位依法没收的物品怎么处理」.
 */
export const PERSONAL = /我|俺|咱|自己|家里|家人|亲戚|朋友|邻居|老公|老婆|丈夫|妻子|孩子|儿子|女儿|爸|妈|父母|被/;
const OFFICE = /单位|部门/;

/** Asking for a threshold, a standard or how something is reckoned: the judicial interpretations' subject. */
export const SPECIFICS = /多少钱|数额|金额|多少万|多少块|标准|多少克|几次|情节|怎么认定|如何认定|怎么算|如何计算|算不算|够不够|够判|够立案|立案标准|多少.{0,2}(?:以上|才)/;

/** The area the bureau itself works in: a question about it, or naming a checklist law, prefers the checklist. */
export const BUREAU_WORK =
  /局里|我局|本局|我们局|咱们局|我们区|本区|我区|区里|财政|预算|决算|国库|政府采购|采购人|采购代理|供应商|招标|投标|会计|账簿|凭证|国有资产|行政事业单位|审计|转移支付|专项资金|政府债务|专项债|公务员|公职人员|政务处分|干部|机关|事业单位|保密|涉密|营商环境|公平竞争审查|信访|政府信息公开/;

/** What routing reads of a question (its QuestionAnalysis): the normalised text and the laws it names. */
export interface RoutedQuestion {
  text: string;
  laws: string[];
}

export interface Route {
  /** The areas the question belongs to, with how sure (0–1]. */
  areas: { area: Area; strength: number }[];
  /**
   * The question asks for the specifics that judicial interpretations lay down (how much money makes a crime,
   * what counts as 情节严重, how an amount is reckoned): the interpretations of its areas then weigh as much as
   * the code.
   */
  specifics: boolean;
  /** The question is about the bureau's own work or names a checklist law. */
  checklist: boolean;
  /** A question about one's own life: some area's strong signal, and not the bureau's work. */
  personal: boolean;
}

/**
 * Where a question belongs: its areas of law and whether the checklist applies.
 * @example routeQuestion(analyzeQuestion('偷东西会坐牢吗')).areas[0].area.id // 'criminal'
 */
export function routeQuestion(a: RoutedQuestion, checklistLaws?: Set<string>): Route {
  const raw = AREAS.map((area) => {
    const strong = new Set(a.text.match(globalOf(area.strong)) ?? []).size;
    return { area, score: strong + (area.weak?.test(a.text) ? WEAK_SIGNAL : 0) };
  });
  const best = Math.max(0, ...raw.map((r) => r.score));
  const areas = raw
    .filter((r) => best > 0 && r.score / best >= MIN_AREA_SHARE)
    .map((r) => ({ area: r.area, strength: r.score / best }))
    .sort((x, y) => y.strength - x.strength);
  const namesChecklist = !!checklistLaws && a.laws.some((l) => checklistLaws.has(l));
  const checklist = namesChecklist || BUREAU_WORK.test(a.text) || (OFFICE.test(a.text) && !PERSONAL.test(a.text));
  return { areas, specifics: SPECIFICS.test(a.text), checklist, personal: !checklist && best >= 1 };
}

const globals = new WeakMap<RegExp, RegExp>();
function globalOf(re: RegExp): RegExp {
  let g = globals.get(re);
  if (!g) globals.set(re, (g = new RegExp(re.source, 'g')));
  return g;
}

/** The weight an area gives a chunk: its best selector's (0 when none takes it). */
export function areaWeight(area: Area, c: Chunk): number {
  let w = 0;
  for (const s of area.laws) if (s.title.test(c.title) && (!s.path || s.path.test(c.path.join('/')))) w = Math.max(w, s.weight ?? 1);
  return w;
}

/**
 * Which chunks of an index belong to each area, computed once per area (by source: a title test per law
 * version, a heading test only for areas that take part of a law such as the 民法典's 编).
 */
export class AreaMembership {
  private readonly sets = new Map<string, Float32Array>();
  /** Whether each chunk belongs to a judicial interpretation. */
  private readonly interpretation: Uint8Array;

  constructor(private readonly chunks: Chunk[]) {
    this.interpretation = Uint8Array.from(chunks, (c) => (lawKindOf(c.category) === 'interpretation' ? 1 : 0));
  }

  /** The area's weight of every chunk (0 outside its laws). */
  of(area: Area): Float32Array {
    let set = this.sets.get(area.id);
    if (set) return set;
    set = new Float32Array(this.chunks.length);
    // Per law version: its weight when no selector looks at headings, else -1 (weigh each chunk).
    const bySource = new Map<string, number>();
    this.chunks.forEach((c, i) => {
      let w = bySource.get(c.sourceId);
      if (w === undefined) {
        const sel = area.laws.filter((s) => s.title.test(c.title));
        w = sel.some((s) => s.path) ? -1 : Math.max(0, ...sel.map((s) => s.weight ?? 1));
        bySource.set(c.sourceId, w);
      }
      set![i] = w >= 0 ? w : areaWeight(area, c);
    });
    this.sets.set(area.id, set);
    return set;
  }

  /** How strongly the route claims chunk `i`: the best of its areas' strength times the area's weight of the chunk. */
  strength(route: Route, i: number): number {
    let best = 0;
    for (const { area, strength } of route.areas) if (strength > best) best = Math.max(best, strength * this.of(area)[i]!);
    if (this.interpretation[i] && route.specifics) best = Math.max(best, maxStrength(route, this, i));
    return best;
  }
}

/** For a question asking for specifics: an interpretation inside any routed area weighs the area's full strength. */
function maxStrength(route: Route, m: AreaMembership, i: number): number {
  let best = 0;
  for (const { area, strength } of route.areas) if (m.of(area)[i]! > 0) best = Math.max(best, strength);
  return best;
}

/**
 * A judicial interpretation of a law that the collection no longer holds (关于适用《中华人民共和国合同法》…
 * after the 民法典 replaced the 合同法): it still reads like the answer but no longer governs.
 */
export function interpretsRepealedLaw(title: string, category: string, hasLaw: (title: string) => boolean): boolean {
  if (lawKindOf(category) !== 'interpretation') return false;
  const cited = [...title.matchAll(/《([^》]+)》/g)].map((m) => m[1]!);
  return cited.length > 0 && cited.every((l) => !/修正案/.test(l) && !hasLaw(l));
}
