/**
 * What an exam writer checks in the generated bank of the checklist's laws: options of the key's kind
 * and level, alterations that make a statement false rather than weaker, stems that show what they need,
 * keys spread over the positions, and the kinds beyond blanks (definitions, principles, 不属于, cases).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { LawCatalog } from '../../src/knowledge/catalog.ts';
import { loadChecklist } from '../../src/knowledge/checklist.ts';
import type { LawVersion } from '../../src/knowledge/types.ts';
import { openQuestionBank } from '../../src/quiz/bank-file.ts';
import { dateText, lastCalendarDay, lastWorkingDay } from '../../src/quiz/generate/calendar.ts';
import { organsConflict } from '../../src/quiz/generate/distractors.ts';
import { covers, organCore, organProfile } from '../../src/quiz/generate/organs.ts';
import { findSpans, safeSide } from '../../src/quiz/generate/spans.ts';
import { articleUnits, enumerations } from '../../src/quiz/generate/units.ts';
import { listSubject } from '../../src/quiz/generate/law-context.ts';
import { compact } from '../../src/quiz/generate/text.ts';
import { lawVersionAt, quizScope } from '../../src/quiz/scope.ts';
import type { Question } from '../../src/quiz/types.ts';
import { checkQuestion, stemBody } from '../../src/quiz/check.ts';
import { corpus, KNOWLEDGE_DIR } from './corpus.ts';

let catalog: LawCatalog;
let questions: Question[];
const law = (name: string): LawVersion => lawVersionAt(catalog, catalog.resolve(name)[0]!.title)!;
const body = (q: Question) => stemBody(q);

beforeAll(async () => {
  catalog = (await corpus()).catalog;
  const bank = await openQuestionBank({ catalog, knowledgeDir: KNOWLEDGE_DIR });
  const scope = quizScope(await loadChecklist(KNOWLEDGE_DIR), undefined, catalog);
  questions = scope.laws.flatMap((s) => bank.forLaw(lawVersionAt(catalog, s.title)!)).filter((q) => q.source === 'generated');
});

describe('the bank of the checklist’s laws', () => {
  it('makes principles, 不属于 questions, computed cases, parties, legal effects and tallies besides blanks', () => {
    const kinds = new Set(questions.map((q) => q.kind));
    for (const k of ['tally', 'principle', 'case', 'party', 'effect', 'item', 'organ', 'time', 'modal']) expect(kinds, k).toContain(k);
    expect(questions.some((q) => q.type === 'single' && q.stem.includes('不属于上述'))).toBe(true);
  });

  it('spreads single-choice keys over the positions: none holds more than 35%', () => {
    const singles = questions.filter((q) => q.type === 'single');
    const counts = [0, 1, 2, 3].map((p) => singles.filter((q) => q.answer[0] === p).length);
    for (const c of counts) expect(c / singles.length).toBeLessThanOrEqual(0.35);
  });

  it('never alters a value the way that leaves the statement true (超过三年的 → 超过十年的, 不超过 → a longer limit)', () => {
    const altered = questions.filter((q) => q.type === 'judge' && q.answer[0] === 1 && ['time', 'amount', 'ratio', 'count'].includes(q.kind));
    expect(altered.length).toBeGreaterThan(50);
    let checked = 0;
    for (const q of altered) {
      const [, from, to] = q.explanation.match(/题干将「(.+?)」改为「(.+?)」/)!;
      const stated = body(q);
      const at = stated.indexOf(to!);
      const original = stated.slice(0, at) + from + stated.slice(at + to!.length);
      const span = findSpans(original).find((s) => s.start === at && s.text === from)!;
      const changed = findSpans(stated).find((s) => s.start === at)!;
      if (!span || !changed || span.unitKey !== changed.unitKey) continue;
      // The unit the statement was made from says whether its list item states a case of the rule.
      const l = catalog.byId(`${q.law}@${q.version}`)!;
      const unit = articleUnits(l.articles.find((a) => a.label === q.article)!, l).find((u) => u.text + (u.note ?? '') === original);
      if (!unit) continue;
      checked++;
      const side = safeSide(original, span, Boolean(unit.itemIsCondition) && at >= unit.from);
      const bigger = (changed.values[0] ?? 0) > (span.values[0] ?? 0);
      if (side === 'lower') expect(bigger, q.stem).toBe(false);
      if (side === 'higher') expect(bigger, q.stem).toBe(true);
    }
    expect(checked / altered.length).toBeGreaterThan(0.8);
    // The case: 公职人员政务处分法第十四条 「刑期超过三年的…予以开除」 is only ever altered downwards.
    const dismissal = altered.filter((q) => q.law === law('公职人员政务处分法').title && q.stem.includes('刑期超过'));
    for (const q of dismissal) expect(q.explanation).toMatch(/改为「[一二]年」/);
  });

  it('knows which way a value may change and stay true, in the laws’ own sentences', () => {
    const cases: [string, string, 'lower' | 'higher' | 'both'][] = [
      ['因过失犯罪被判处有期徒刑，刑期超过三年的，予以开除。', '三年', 'lower'], // a larger threshold is still true
      ['国家秘密的保密期限，除另有规定外，秘密级不超过十年。', '十年', 'lower'], // a longer limit is still true
      ['行政机关应当自受理行政许可申请之日起二十日内作出行政许可决定。', '二十日', 'lower'],
      ['可以自知道该行政行为之日起六十日内提出行政复议申请。', '六十日', 'higher'], // a licence: a shorter time is weaker
      ['被免职的，自免职之日起五年内不得担任国有独资企业的董事。', '五年', 'higher'], // a ban: a shorter one is weaker
      ['向社会公开征求意见的期限一般不少于30日。', '30日', 'higher'],
      ['期限最长不得超过1年。', '1年', 'lower'],
      ['消费者自接受商品或者服务之日起六个月内发现瑕疵，发生争议的，由经营者承担有关瑕疵的举证责任。', '六个月', 'higher'],
      ['地方各级人民代表大会每届任期五年。', '五年', 'both'],
    ];
    for (const [text, value, side] of cases) {
      const span = findSpans(text).find((s) => s.text === value)!;
      expect(safeSide(text, span), text).toBe(side);
    }
  });

  it('gives organs options of a comparable level and role: none names the key again, contains it or is covered by its range', () => {
    const organs = questions.filter((q) => q.type === 'single' && q.kind === 'organ');
    expect(organs.length).toBeGreaterThan(5);
    for (const q of organs) {
      const key = q.options[q.answer[0]!]!;
      const k = organProfile(key)!;
      for (const o of q.options.filter((x) => x !== key)) {
        expect(organsConflict(o, key), `${q.stem} ${o}`).toBe(false);
        expect(covers(k, organProfile(o)!), `${q.stem} ${o}`).toBe(false);
        expect(o, q.stem).not.toMatch(/(?:行政机关|主管部门|有关部门)$/);
        // 报国务院批准 never offers 下级政府: a lower level does not approve.
        if (/(?:报|经)（　）(?:批准|备案)/.test(q.stem)) expect(o, q.stem).not.toMatch(/^(?:下级|下一级)/);
      }
    }
  });

  it('never makes a stem that refers to another paragraph or article: no bare 前款 / 上述 / 第X款, no 「（注：……）」 patch, no penalty without its conduct', () => {
    for (const q of questions) {
      const stated = body(q);
      if (q.kind === 'curated') continue;
      // Exam writers judged a stem patched with 「（注：前款：……）」 unprintable, so such sentences are not asked.
      expect(q.stem, q.stem).not.toContain('（注：');
      // 上述 after the sentence it points at (shown in front) is fine; a first sentence leaning back is not.
      const first = stated.split('。')[0]!;
      const refersOut = /前款|前两款|上述|前述|(?<![法例》条])第[一二三四五六七八九十]+款/.test(first.replace(/不属于上述|依照上述规定/g, ''));
      expect(refersOut, q.stem).toBe(false);
      expect(stated, q.stem).not.toMatch(/^(?:对单位处|对直接负责的主管人员|处以?[^，。；]*罚款)/);
    }
  });

  it('computes deadlines as the law counts them: the start day not counted, weekends moved past, working days counted', () => {
    expect(dateText(lastWorkingDay(Date.parse('2025-07-24T00:00:00Z'), 7))).toBe('2025年8月4日（星期一）');
    expect(dateText(lastCalendarDay(Date.parse('2025-07-17T00:00:00Z'), 30))).toBe('2025年8月18日（星期一）');
    expect(dateText(lastCalendarDay(Date.parse('2025-07-17T00:00:00Z'), 30, false))).toBe('2025年8月16日（星期六）');
    const cases = questions.filter((q) => q.kind === 'case');
    expect(cases.length).toBeGreaterThan(20);
    for (const q of cases) {
      // The rule's own number is hidden: the case tests knowing it.
      expect(q.stem).toMatch(/法定期限|一定(?:倍数|比例)/);
      expect(q.options).toHaveLength(4);
    }
    // 行政许可法 counts its limits in working days (第八十二条): its cases say so and count Monday to Friday.
    const licence = cases.filter((q) => q.law === law('行政许可法').title && q.stem.includes('之日为'));
    expect(licence.length).toBeGreaterThan(0);
    for (const q of licence) expect(q.explanation).toContain('只计星期一至星期五');
  });

  it('makes 多选题 with two to four right of four or five, the counts spread', () => {
    const multi = questions.filter((q) => q.type === 'multiple');
    const shapes = new Map<string, number>();
    for (const q of multi) {
      expect(q.answer.length).toBeGreaterThanOrEqual(2);
      expect(q.answer.length).toBeLessThanOrEqual(4);
      expect([4, 5]).toContain(q.options.length);
      shapes.set(`${q.answer.length}`, (shapes.get(`${q.answer.length}`) ?? 0) + 1);
    }
    // No count of right options is the rule: 3 of 4 was 82% of them before.
    for (const n of shapes.values()) expect(n / multi.length).toBeLessThan(0.6);
  });
});

describe('what an exam writer rejects (review rounds q3r1–q3r5 and the independent findings)', () => {
  const key = (q: Question) => q.options[q.answer[0]!]!;
  const lawText = (q: Question) => catalog.byId(`${q.law}@${q.version}`)!.articles.map((a) => compact(a.text)).join('\n');
  const organs = () => questions.filter((q) => q.type === 'single' && q.kind === 'organ');

  it('asks no organ blank answered by a generic name or by the department the law is about', () => {
    for (const q of organs()) expect(key(q), q.stem).not.toMatch(/(?:有关部门|主管部门|行政机关)$/);
    // 审计法's 审计机关, 公平竞争审查条例's 市场监督管理部门, 禁毒法's 公安机关: guessed from the law's subject.
    const own: [string, string][] = [['审计法', '审计机关'], ['公平竞争审查条例', '市场监督管理部门'], ['禁毒法', '公安机关']];
    for (const [name, dept] of own) {
      const title = law(name).title;
      expect(organs().filter((q) => q.law === title && key(q) === dept), name).toEqual([]);
    }
  });

  it('gives a department key only departments its own law names, and a national congress only central bodies', () => {
    for (const q of organs()) {
      const k = organProfile(key(q))!;
      for (const o of q.options.filter((x) => x !== key(q))) {
        const p = organProfile(o)!;
        if (k.body === 'department' && p.body === 'department') expect(lawText(q), `${q.stem} ${o}`).toContain(o);
        if (k.level === 'central' && (k.body === 'congress' || k.body === 'standing')) expect(p.level, `${q.stem} ${o}`).toBe('central');
      }
    }
    // 国务院……向（　）报告: never 国务院财政部门 or a lower level.
    const report = organs().filter((q) => /^国务院向（　）报告/.test(body(q)));
    for (const q of report) for (const o of q.options) expect(o, q.stem).not.toMatch(/^(?:国务院.+部门|国务院.+机关|省|县|设区|各级|地方)/);
  });

  it('makes no statement, case or blank from a list cut after one item where the list states a rule for each case', () => {
    for (const q of questions.filter((x) => x.type === 'judge' || x.kind === 'case')) expect(body(q), q.stem).not.toMatch(/[：:]（[一二三四五六七八九十]+）/);
    // 公职人员政务处分法第十一条 「有下列情形之一的，可以从轻或者减轻给予政务处分：（二）配合调查…的」 reads as one sentence.
    const l = law('公职人员政务处分法');
    const units = articleUnits(l.articles.find((a) => a.label === '第十一条')!, l).map((u) => u.text);
    expect(units).toContain('公职人员配合调查，如实说明本人违法事实的，可以从轻或者减轻给予政务处分。');
    for (const u of units) expect(u).not.toMatch(/：（/);
  });

  it('hides a case’s limit everywhere in its stem and does not state the counting rule it tests', () => {
    for (const q of questions.filter((x) => x.kind === 'case' && x.stem.includes('之日为'))) {
      const limit = q.explanation.match(/期限为([^（，]+?)(?:（|，)/)![1]!;
      // The rule as shown, before the case's dates (2025年7月15日 is no limit).
      expect(q.stem.split('若')[0], q.stem).not.toContain(limit);
      expect(q.stem).not.toContain('按工作日计算');
    }
  });

  it('names the contract when a party belongs to more than one (融资租赁 and 租赁 both have 出租人 and 承租人)', () => {
    const lease = questions.filter((q) => q.kind === 'party' && q.stem.includes('占有租赁物期间的维修义务'));
    expect(lease.length).toBeGreaterThan(0);
    for (const q of lease) expect(q.stem).toMatch(/^根据《中华人民共和国民法典》关于融资租赁合同的规定，/);
  });

  it('asks validity of legal acts only, never where an exception clause fixes it, and never turns 所有权 into 所无权', () => {
    for (const q of questions.filter((x) => x.kind === 'effect' && x.type === 'single' && x.options.includes('效力待定'))) {
      expect(body(q), q.stem).not.toMatch(/除[^。；]*外[^。；]*（　）|在全国范围内（　）/);
    }
    for (const q of questions.filter((x) => x.type === 'judge')) expect(q.stem).not.toMatch(/所无权|享无权/);
  });

  it('never moves a value that splits two rules: 刑期超过三年的，予以开除 / 三年以下有期徒刑的，一般应当予以开除', () => {
    const dismissal = questions.filter((q) => q.law === law('公职人员政务处分法').title && q.article === '第十四条' && q.type === 'judge' && q.answer[0] === 1);
    for (const q of dismissal) expect(q.explanation, q.stem).not.toMatch(/将「三年」改为/);
  });

  it('takes no 多选 distractor from a sibling list of the same subject (公平竞争审查条例: 市场准入 / 生产经营成本)', () => {
    const l = law('公平竞争审查条例');
    const lists = l.articles.flatMap((a) => enumerations(a).map((e) => ({ subject: listSubject(e.lead), items: e.items, article: a.label })));
    for (const q of questions.filter((x) => x.law === l.title && x.type === 'multiple')) {
      const own = lists.find((x) => x.article === q.article)!;
      const siblings = lists.filter((x) => x.article !== q.article && x.subject === own.subject).flatMap((x) => x.items);
      for (const [i, o] of q.options.entries()) if (!q.answer.includes(i)) expect(siblings, `${q.stem} ${o}`).not.toContain(o);
    }
  });

  it('asks a list that names its kind: 行政处罚的种类 against 行政强制措施的种类', () => {
    const kinds = questions.filter((q) => q.law === law('行政处罚法').title && q.stem.includes('行政处罚的种类包括下列哪些'));
    expect(kinds.length).toBe(1);
    const wrong = kinds[0]!.options.filter((_, i) => !kinds[0]!.answer.includes(i));
    expect(wrong.length).toBeGreaterThan(0);
    for (const w of wrong) expect(lawText(kinds[0]!)).not.toContain(w);
  });
});

describe('round 3 of the independent findings (quiz-findings-2, review rounds q4r1–q4r2)', () => {
  const key = (q: Question) => q.options[q.answer[0]!]!;
  const lawText = (q: Question) => catalog.byId(`${q.law}@${q.version}`)!.articles.map((a) => compact(a.text)).join('\n');
  const of = (name: string, article: string) => questions.filter((q) => q.law === law(name).title && q.article === article);
  const swap = (q: Question) => q.explanation.match(/题干将「(.+?)」改为「(.+?)」/);

  it('takes organ distractors from the law itself or of the key’s own kind, never a congress for a government’s task', () => {
    const organs = questions.filter((q) => q.type === 'single' && q.kind === 'organ');
    expect(organs.length).toBeGreaterThan(5);
    for (const q of organs) {
      const k = organProfile(key(q))!;
      for (const o of q.options.filter((x) => x !== key(q))) {
        const p = organProfile(o)!;
        expect(organCore(lawText(q)).includes(organCore(o)) || p.body === k.body, `${q.stem} ${o}`).toBe(true);
        if (k.body === 'government') expect(p.body, `${q.stem} ${o}`).not.toMatch(/^(?:congress|standing)$/);
        if (k.body === 'department') expect(p.body, `${q.stem} ${o}`).not.toBe('standing');
      }
    }
    // 保守国家秘密法第四十七条: a leak is reported to 保密行政管理部门, never to a congress's standing committee.
    for (const q of of('保守国家秘密法', '第四十七条')) for (const o of q.options) expect(o, q.stem).not.toMatch(/人民代表大会/);
    // 宪法第一百一十条第二款 makes 上一级国家行政机关 answerable too: 上一级人民政府 is no wrong option for the first.
    for (const q of of('宪法', '第一百一十条')) for (const o of q.options) expect(o, q.stem).not.toMatch(/^上一级/);
  });

  it('asks no report to an organ the law has receive reports elsewhere (审计法: 上一级审计机关)', () => {
    for (const q of of('审计法', '第三十条')) expect(q.explanation, q.stem).not.toMatch(/改为「上(?:一)?级审计机关」/);
  });

  it('makes cases in 日 only where the law’s counting rule is known, never ending on a weekend, citing the rule', () => {
    const dayCases = questions.filter((q) => q.kind === 'case' && /期限为[^，（]+?日[（，]/.test(q.explanation) && !/个工作日/.test(q.explanation));
    expect(dayCases.length).toBeGreaterThan(5);
    const known = new Set(['行政许可法', '行政处罚法', '行政复议法', '行政强制法', '民法典'].map((n) => law(n).title));
    for (const q of dayCases) expect(known.has(q.law), `${q.law} ${q.stem}`).toBe(true);
    // 审计法实施条例第五十六条 counts 审计法's days as working days: with that regulation out of the bank, no case.
    expect(questions.filter((q) => q.kind === 'case' && q.law === law('审计法').title && /期限为[^，]*日/.test(q.explanation) && !/个工作日/.test(q.explanation))).toEqual([]);
    for (const q of questions.filter((x) => x.kind === 'case' && x.stem.includes('之日为'))) {
      expect(q.options[q.answer[0]!], q.stem).not.toMatch(/星期[六日]/);
      if (/（按工作日计算/.test(q.explanation)) expect(q.explanation).toMatch(/依据《[^》]+》第[一二三四五六七八九十百]+条）/);
    }
    const licence = questions.filter((q) => q.kind === 'case' && q.law === law('行政许可法').title && q.stem.includes('之日为'));
    for (const q of licence) if (/期限为[^个]*日（/.test(q.explanation)) expect(q.explanation).toContain('第八十二条');
  });

  it('gives principle questions wrong principles of the listed ones’ shape (国际化 is no budget principle option)', () => {
    for (const q of questions.filter((x) => x.kind === 'principle')) {
      const right = q.type === 'multiple' ? q.answer.map((i) => q.options[i]!) : q.options.filter((_, i) => !q.answer.includes(i));
      const wrong = q.options.filter((o) => !right.includes(o));
      const lengths = new Set(right.map((r) => r.length));
      if (lengths.size === 1) for (const w of wrong) expect(lengths.has(w.length), `${q.stem} ${w}`).toBe(true);
    }
    for (const q of of('预算法', '第十二条')) expect(q.options).not.toContain('国际化');
  });

  it('never swaps a relative level for 下级 nor a government for one above it in a 判断题', () => {
    const rank: Record<string, number> = { central: 0, province: 1, city: 2, county: 3, township: 4, all: 4 };
    for (const q of questions.filter((x) => x.type === 'judge' && x.kind === 'organ' && x.answer[0] === 1)) {
      const [, from, to] = swap(q)!;
      const a = organProfile(from!)!;
      const b = organProfile(to!)!;
      const relative = (l: string) => ['same', 'upper', 'lower'].includes(l);
      if (relative(a.level) && relative(b.level)) expect([a.level, b.level], q.stem).not.toContain('lower');
      if (a.body === 'government' && b.body === 'government' && rank[a.level] !== undefined && rank[b.level] !== undefined) expect(rank[b.level]!, q.stem).toBeGreaterThanOrEqual(rank[a.level]!);
    }
    // 行政事业性国有资产管理条例第四十八条: 「下级政府…上一级政府」 — 本级人民政府 there says the same.
    for (const q of of('行政事业性国有资产管理条例', '第四十八条')) expect(q.explanation).not.toMatch(/改为「本级人民政府」/);
    // 反电信网络诈骗法第六条: 地方各级人民政府 is never turned into 国务院, which leads them all.
    for (const q of of('反电信网络诈骗法', '第六条')) expect(q.explanation).not.toMatch(/改为「国务院」/);
  });

  it('blanks no value beside another of its kind (绝密级不超过（　），机密级不超过二十年…; 自公历（　）起，至十二月三十一日止)', () => {
    expect(of('保守国家秘密法', '第二十条').filter((q) => q.type === 'single' && q.kind === 'time')).toEqual([]);
    // The year is asked as a whole period (自公历（　）。 / 四月一日起，至次年三月三十一日止), never one date beside the other.
    for (const [name, article] of [['会计法', '第十一条'], ['预算法', '第十八条']] as const) {
      const dated = of(name, article).filter((q) => q.kind === 'date');
      expect(dated.length, name).toBeGreaterThan(0);
      for (const q of dated) expect(body(q), q.stem).toMatch(/自公历（　）。$|至次年/);
    }
  });

  it('gives definitions wrong terms of the key’s head noun (综合评分法 against other 法, not 分散采购)', () => {
    for (const q of questions.filter((x) => x.kind === 'definition')) for (const o of q.options) expect(o.slice(-1), q.stem).toBe(key(q).slice(-1));
    // 政府采购法实施条例第三十四条: no other 评标方法 is defined elsewhere, so 综合评分法 is not asked among 分散采购, 财政性资金.
    expect(of('政府采购法实施条例', '第三十四条').filter((q) => q.kind === 'definition')).toEqual([]);
  });

  it('gives a list of violations violations only, and the central level no 上级 item', () => {
    for (const q of of('预算法', '第九十三条')) expect(q.options, q.stem).not.toContain('需要增加或者减少预算总支出的');
    const central = of('预算法实施条例', '第三十七条').filter((q) => /支出编制内容不包括/.test(q.stem));
    expect(central.length).toBeGreaterThan(0);
    for (const q of central) expect(key(q), q.stem).not.toMatch(/上级/);
  });

  it('counts a closed list where nothing else can be asked: 政务处分的种类共有六种', () => {
    const tally = of('公职人员政务处分法', '第七条').filter((q) => q.kind === 'tally');
    expect(tally).toHaveLength(1);
    expect(body(tally[0]!)).toBe('政务处分的种类共有（　）。');
    expect(key(tally[0]!)).toBe('六种');
    for (const q of questions.filter((x) => x.kind === 'tally')) {
      const a = catalog.byId(`${q.law}@${q.version}`)!.articles.find((x) => x.label === q.article)!;
      expect(checkQuestion(q, catalog.byId(`${q.law}@${q.version}`)!, a), q.stem).toEqual([]);
      // A tally never counts an open list (其他…, 法律、法规规定的其他…, …等).
      expect(enumerations(a).some((e) => e.items.some((it) => /^(?:有)?(?:[^，。；]{0,12}规定的)?其他|等$/.test(it)) && body(q).includes(e.lead.replace(/[：:]$/, '').split('。').pop()!))).toBe(false);
    }
  });
});
