/**
 * Organs as an exam writer weighs them: a level (中央, 省, 县级, 本级, 上一级…), a kind of body (人民代表大会,
 * 常务委员会, 人民政府, a department, a court) and the role the sentence gives it (决定 / 审批, 监督 / 接受报告,
 * 执行). A wrong organ is plausible only when it could hold that role at a comparable level: 「由（　）批准」
 * with 国务院 as the key gets 全国人民代表大会常务委员会 and 省、自治区、直辖市人民政府, never 公安机关 or 下级政府.
 */

export type OrganLevel = 'central' | 'province' | 'city' | 'county' | 'township' | 'all' | 'same' | 'upper' | 'lower' | 'none';
export type OrganBody = 'congress' | 'standing' | 'government' | 'department' | 'court' | 'procuratorate';
/** What the sentence has the organ do. */
export type OrganRole = 'approve' | 'receive' | 'act' | 'partner';

export interface OrganProfile {
  level: OrganLevel;
  body: OrganBody;
  /** The department's own name (财政部门, 审计机关) for departments. */
  department?: string;
  /** A range of levels (县级以上, 各级): it names every organ of its kind from its level up. */
  range: boolean;
  /** 地方各级, 县级以上地方…: the range leaves out the central level. */
  local: boolean;
}

const LEVELS: [RegExp, OrganLevel][] = [
  [/^(?:国务院|中央|全国|最高)/, 'central'],
  [/^(?:省、自治区、直辖市|省级)/, 'province'],
  [/^设区的市/, 'city'],
  [/^县级/, 'county'],
  [/^乡、民族乡、镇/, 'township'],
  [/^(?:地方各级|各级)/, 'all'],
  [/^(?:本级|同级)/, 'same'],
  [/^(?:上一级|上级)/, 'upper'],
  [/^(?:下一级|下级)/, 'lower'],
];

/** The level, body and department of an organ name; undefined for a text that names no organ. */
export function organProfile(name: string): OrganProfile | undefined {
  const level = LEVELS.find(([re]) => re.test(name))?.[1] ?? 'none';
  const range = /以上/.test(name) || level === 'all';
  const local = /地方/.test(name);
  const of = (body: OrganBody, department?: string): OrganProfile => ({ level, body, range, local, ...(department ? { department } : {}) });
  if (/人民法院$/.test(name)) return of('court');
  if (/人民检察院$/.test(name)) return of('procuratorate');
  if (/常务委员会$/.test(name)) return of('standing');
  if (/人民代表大会$/.test(name)) return of('congress');
  if (/^国务院$|政府$/.test(name)) return of('government');
  // The department's own name: what follows the last 政府 and the level (保密行政管理部门, 财政部门).
  const own = (name.includes('政府') ? name.slice(name.lastIndexOf('政府') + 2) : name)
    .replace(/^国务院/, '')
    .replace(/^(?:县级以上|设区的市级以上|省级以上|地方各级|各级|地方|本级|上一级|上级|下一级|下级|同级|省级)+/, '');
  if (/(?:部门|机关|机构|委员会)$/.test(own)) return of('department', own);
  return undefined;
}

/**
 * Whether a range of levels (县级以上地方各级人民政府) covers another organ of its kind (省、自治区、直辖市人民政府,
 * 国务院): 「县级以上人民政府可以开办…」 is then true of the candidate too, so it is no wrong answer.
 */
export function covers(key: OrganProfile, cand: OrganProfile): boolean {
  if (!key.range || key.body !== cand.body || (key.body === 'department' && key.department !== cand.department)) return false;
  const keyRank = key.level === 'all' ? ABSOLUTE_RANK.township! : ABSOLUTE_RANK[key.level];
  const candRank = ABSOLUTE_RANK[cand.level] ?? (cand.level === 'none' || cand.level === 'same' || cand.level === 'upper' ? keyRank : undefined);
  if (keyRank === undefined || candRank === undefined) return false;
  if (key.local && cand.level === 'central') return false;
  return candRank <= keyRank;
}

/** Organs that name the same body (本级政府 / 本级人民政府) normalise to one text. */
export function organCore(s: string): string {
  return s.replace(/人民政府/g, '政府').replace(/上一级/g, '上级').replace(/下一级/g, '下级').replace(/地方各级|各级|地方/g, '');
}

const ABSOLUTE_RANK: Partial<Record<OrganLevel, number>> = { central: 0, province: 1, city: 2, all: 2, county: 3, township: 4 };

/** An absolute level's rank, 中央 0 to 乡镇 4; undefined for a relative or unnamed level (本级, 上一级, 财政部门). */
export function absoluteRank(l: OrganLevel): number | undefined {
  return ABSOLUTE_RANK[l];
}

/** How many levels apart two absolute levels are (国务院 to 乡镇: 4); 0 for relative or unnamed ones. */
export function levelDistance(a: OrganLevel, b: OrganLevel): number {
  const x = ABSOLUTE_RANK[a];
  const y = ABSOLUTE_RANK[b];
  return x === undefined || y === undefined ? 0 : Math.abs(x - y);
}

/** Where the level stands among others: relative (本级, 上一级), absolute (国务院, 县级以上), or unnamed. */
function levelClass(l: OrganLevel): 'relative' | 'absolute' | 'none' {
  if (l === 'same' || l === 'upper' || l === 'lower') return 'relative';
  return l === 'none' ? 'none' : 'absolute';
}

/** Words before or after an organ that tell its role in the sentence. */
const APPROVE = /^(?:具体|统一|依法)?(?:批准|决定|审批|核准|批复|审定|同意|许可)/;
const RECEIVE_BEFORE = /(?:报|报经|报请|提请|送交|提交|向|经)$/;
const PARTNER_BEFORE = /会同$/;

/** The role an organ plays where it stands: before is the text up to it, after the text following it. */
export function organRole(before: string, after: string): OrganRole {
  if (PARTNER_BEFORE.test(before)) return 'partner';
  if (APPROVE.test(after) || /经$/.test(before)) return 'approve';
  if (RECEIVE_BEFORE.test(before)) return 'receive';
  return 'act';
}

/** Bodies that can stand in for one another in a role: who approves, receives a report, or acts. */
const DECIDING: OrganBody[] = ['congress', 'standing', 'government', 'department'];
const ACTING: OrganBody[] = ['government', 'department'];

/**
 * Whether a candidate is a plausible wrong answer for the key organ in this role: the same family (courts
 * with courts), a comparable level (relative with relative, absolute with absolute), a body that could hold
 * the role, and never a lower level for approval.
 */
export function plausibleOrgan(key: OrganProfile, cand: OrganProfile, role: OrganRole): boolean {
  // A range that covers the key (设区的市级以上人民政府 for 国务院) is as true as the key; the key's range covers others.
  if (covers(key, cand) || covers(cand, key)) return false;
  const judicial = (b: OrganBody) => b === 'court' || b === 'procuratorate';
  if (judicial(key.body) || judicial(cand.body)) return judicial(key.body) && judicial(cand.body);
  const [k, c] = [levelClass(key.level), levelClass(cand.level)];
  // An unnamed department (审计机关) sits beside 本级 bodies; absolute levels only beside absolute ones.
  const comparable = k === c || (key.body === 'department' && role !== 'act' && k !== 'absolute' && c !== 'absolute');
  if (!comparable) return false;
  if (role !== 'act' && cand.level === 'lower' && key.level !== 'lower') return false;
  if (role === 'partner') return cand.body === 'department';
  const ranked = cand.body !== 'department' || cand.level !== 'none' || key.level === 'none';
  switch (key.body) {
    case 'department':
      // A department's task goes to another department; approval or a report may go to a government or a
      // standing committee instead; an act of a department is never an act of a congress.
      if (cand.body === 'department') return true;
      // A government holds its departments' tasks: 「县级以上人民政府主管…保密工作」 reads as true of it.
      if (cand.body === 'government') return role !== 'act';
      return cand.body === 'standing' && role === 'receive';
    case 'government':
      // A government acts through its departments: 「县级以上人民政府应当组织…」 read as 「省级人民政府财政部门应当组织…」
      // is arguably true, so an acting government gets only other governments.
      return role === 'act' ? cand.body === 'government' && ranked : ranked;
    default:
      // 人民代表大会 and its standing committee decide, approve and receive reports; a government may be the trap.
      return (cand.body === 'congress' || cand.body === 'standing' || cand.body === 'government' || (role !== 'act' && cand.body === 'department')) && ranked;
  }
}

/**
 * Organ names the laws of the bureau's checklist use, by level: the pool of wrong answers beside the law's
 * own organs (a law that names only two organs still gets plausible options of the same level).
 */
export const ORGAN_VOCABULARY = [
  '全国人民代表大会',
  '全国人民代表大会常务委员会',
  '国务院',
  '国务院财政部门',
  '国务院审计机关',
  '国务院有关部门',
  '省、自治区、直辖市人民政府',
  '省、自治区、直辖市人民代表大会常务委员会',
  '省、自治区、直辖市人民政府财政部门',
  '设区的市级以上人民政府',
  '县级以上地方各级人民政府',
  '县级以上人民政府财政部门',
  '县级以上人民政府审计机关',
  '县级以上地方人民政府市场监督管理部门',
  '本级人民代表大会',
  '本级人民代表大会常务委员会',
  '本级人民政府',
  '本级人民政府财政部门',
  '本级人民政府审计机关',
  '上一级人民政府',
  '上一级人民政府财政部门',
  '上一级人民代表大会常务委员会',
  '上一级行政机关',
  '上一级主管部门',
  '财政部门',
  '审计机关',
  '监察机关',
  '税务机关',
  '公安机关',
  '市场监督管理部门',
  '保密行政管理部门',
  '人民法院',
  '上一级人民法院',
  '人民检察院',
];
