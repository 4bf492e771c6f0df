/**
 * The contract of the training read model: who counts in a week (active, registered before it ended,
 * reachable on a real channel), what they did, and the weak articles — all from rows written through the
 * ports.
 */
import { describe, expect, it } from 'vitest';
import type { WeekWindow } from '../../../src/records/read-model.ts';
import type { Records } from '../../../src/records/ports.ts';
import type { UserRecord } from '../../../src/records/types.ts';
import { person, question, takeAttempt, tg, useRecords, type ContractContext, type OpenRecords } from './harness.ts';

/** 2026-W47 and W48 in Asia/Shanghai. */
const W47: WeekWindow = { key: '2026-W47', end: new Date('2026-11-22T16:00:00.000Z') };
const W48: WeekWindow = { key: '2026-W48', end: new Date('2026-11-29T16:00:00.000Z') };
const Q = [question(0, 18), question(1, 13), question(2, 13)];

interface Term {
  a: UserRecord;
  b: UserRecord;
  c: UserRecord;
  d: UserRecord;
  e: UserRecord;
  h: UserRecord;
  late: UserRecord;
  firstAnswer: Date;
  lastAnswer: Date;
}

/** A week of people: passed, failed, in progress, idle, WeCom-only, disabled after finishing, pending, the operator, a late joiner. */
async function term(ctx: ContractContext): Promise<Term> {
  const r: Records = ctx.records;
  const a = await person(r, 1, { name: '甲', department: '预算科', rank: '一级科员' });
  const b = await person(r, 2, { name: '乙', department: '预算科', rank: '二级主任科员' });
  const c = await person(r, 3, { name: '丙', department: '国库科', rank: '一级科员' });
  const d = await person(r, 4, { name: '丁', department: '国库科', rank: '一级科员' });
  const e = await person(r, 5, { name: '戊', department: '预算科', rank: '一级科员' });
  const h = await r.users.create({ identity: { channel: 'wecom', id: 'ji' }, name: '己', department: '会计科', rank: '一级科员', roles: ['全体干部', '会计监督岗'], status: 'active' });
  await r.users.create({ identity: tg(6), name: '庚', department: '综合办公室', status: 'pending' });
  await r.users.create({ identity: { channel: 'local', id: 'operator' }, name: 'operator', status: 'active', isAdmin: true });
  const firstAnswer = new Date(ctx.at.getTime() + 10_000);
  await takeAttempt(ctx, a, W47.key, [true, true, true], Q);
  await takeAttempt(ctx, b, W47.key, [true, false, false], Q);
  await takeAttempt(ctx, e, W47.key, [false, false, true], Q);
  const lastAnswer = ctx.at;
  await r.training.startAttempt({ userId: c.id, week: W47.key, questions: Q, passMark: 60, maxAttempts: 3, at: ctx.at });
  await r.users.transition(e.id, 'active', 'disabled');
  ctx.at = new Date('2026-11-24T02:00:00.000Z'); // in W48
  const late = await person(r, 7, { name: '辛', department: '法规科' });
  return { a, b, c, d, e, h, late, firstAnswer, lastAnswer };
}

const byCodeUnits = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

export function readModelContract(open: OpenRecords) {
  describe('training read model', () => {
    const ctx = useRecords(open);

    it('counts the eligible of a week overall, per department and per rank', async () => {
      await term(ctx);
      const { stats } = ctx.records;
      expect(await stats.groups(W47, 'overall')).toEqual([{ key: '', eligible: 5, finished: 2, passed: 1, avgScore: 66.5, hours: 0.5 }]);
      const departments = await stats.groups(W47, 'department');
      expect(departments.map((g) => g.key)).toEqual(['会计科', '国库科', '预算科'].sort(byCodeUnits));
      expect(departments.find((g) => g.key === '预算科')).toEqual({ key: '预算科', eligible: 2, finished: 2, passed: 1, avgScore: 66.5, hours: 0.5 });
      expect(departments.find((g) => g.key === '国库科')).toEqual({ key: '国库科', eligible: 2, finished: 0, passed: 0, avgScore: null, hours: 0 });
      const ranks = await stats.groups(W47, 'rank');
      expect(ranks.find((g) => g.key === '一级科员')).toMatchObject({ eligible: 4, finished: 1, passed: 1 });
      // The late joiner counts from the week they registered in.
      expect((await stats.groups(W48, 'overall'))[0]).toMatchObject({ eligible: 6, finished: 0, avgScore: null });
    });

    it("lists a week's eligible people and anyone else with a result, by department, name, id", async () => {
      const t = await term(ctx);
      const rows = await ctx.records.stats.peopleOfWeek(W47);
      const sorted = [...rows].sort((x, y) => byCodeUnits(x.department, y.department) || byCodeUnits(x.name, y.name) || x.userId - y.userId);
      expect(rows.map((r) => r.userId)).toEqual(sorted.map((r) => r.userId));
      expect(new Set(rows.map((r) => r.userId))).toEqual(new Set([t.a.id, t.b.id, t.c.id, t.d.id, t.e.id, t.h.id]));
      const of = (u: UserRecord) => rows.find((r) => r.userId === u.id)!;
      expect(of(t.a)).toMatchObject({ eligible: true, staffId: t.a.staffId, roles: ['全体干部'], identities: [tg(1)], accountStatus: 'active', result: { status: 'passed', score: 100, passMark: 60, attempts: 1, hours: 0.5 } });
      expect(of(t.c).result).toMatchObject({ status: 'in_progress', score: null, attempts: 0 });
      expect(of(t.d).result).toBeNull();
      expect(of(t.e)).toMatchObject({ eligible: false, accountStatus: 'disabled', result: { status: 'completed' } });
      expect(of(t.h)).toMatchObject({ eligible: true, identities: [{ channel: 'wecom', id: 'ji' }], roles: ['全体干部', '会计监督岗'] });
    });

    it('lists the departments of active people reachable on a channel', async () => {
      await term(ctx);
      expect(await ctx.records.stats.departments()).toEqual(['会计科', '国库科', '法规科', '预算科'].sort(byCodeUnits));
    });

    it('ranks weak articles by wrong answers, in a week range or an instant range, of everyone or one person', async () => {
      const t = await term(ctx);
      const { stats } = ctx.records;
      const law = '中华人民共和国预算法';
      const all = [
        { law, article: 13, articleSuffix: 0, version: '2018-12-29', answers: 6, wrong: 3, people: 2 },
        { law, article: 18, articleSuffix: 0, version: '2018-12-29', answers: 3, wrong: 1, people: 1 },
      ];
      expect(await stats.weakArticles({ fromWeek: W47.key, toWeek: W48.key })).toEqual(all);
      expect(await stats.weakArticles({ since: t.firstAnswer, until: new Date(t.lastAnswer.getTime() + 1) })).toEqual(all);
      expect(await stats.weakArticles({ since: t.firstAnswer, until: t.firstAnswer })).toEqual([]);
      expect(await stats.weakArticles({ fromWeek: W47.key, toWeek: W47.key }, { limit: 1 })).toEqual([all[0]]);
      expect(await stats.weakArticles({ fromWeek: '0000-W00', toWeek: '9999-W99' }, { userId: t.b.id })).toEqual([{ ...all[0], answers: 2, wrong: 2, people: 1 }]);
      expect(await stats.weakArticles({ fromWeek: '0000-W00', toWeek: '9999-W99' }, { userId: t.a.id })).toEqual([]);
    });

    it("sums each person's eligible weeks of a period, and only those", async () => {
      const t = await term(ctx);
      const rows = await ctx.records.stats.periodPeople([W47, W48]);
      const of = (u: UserRecord) => rows.find((r) => r.userId === u.id);
      expect(new Set(rows.map((r) => r.userId))).toEqual(new Set([t.a.id, t.b.id, t.c.id, t.d.id, t.h.id, t.late.id]));
      expect(of(t.a)).toMatchObject({ staffId: t.a.staffId, department: '预算科', eligibleWeeks: 2, finishedWeeks: 1, passedWeeks: 1, hours: 0.5, scoreSum: 100 });
      expect(of(t.b)).toMatchObject({ eligibleWeeks: 2, finishedWeeks: 1, passedWeeks: 0, hours: 0, scoreSum: 33 });
      expect(of(t.c)).toMatchObject({ eligibleWeeks: 2, finishedWeeks: 0, scoreSum: 0, durationMs: 0 });
      // The late joiner counts in W48 only; the disabled person, the pending one and the operator not at all.
      expect(of(t.late)).toMatchObject({ eligibleWeeks: 1, finishedWeeks: 0 });
      expect(of(t.h)!.identities).toEqual([{ channel: 'wecom', id: 'ji' }]);
      const sorted = [...rows].sort((x, y) => byCodeUnits(x.department, y.department) || byCodeUnits(x.name, y.name) || x.userId - y.userId);
      expect(rows.map((r) => r.userId)).toEqual(sorted.map((r) => r.userId));
      expect(await ctx.records.stats.periodPeople([])).toEqual([]);
    });

    it('bins the week scores of the eligible who finished', async () => {
      await term(ctx);
      const { stats } = ctx.records;
      // 100 (甲) in the last bin, 33 (乙) in 30–39; 戊 (33, disabled since) is not counted.
      expect(await stats.scoreHistogram([W47])).toEqual([0, 0, 0, 1, 0, 0, 0, 0, 0, 1]);
      expect(await stats.scoreHistogram([W47], 5)).toEqual([0, 1, 0, 0, 1]);
      expect(await stats.scoreHistogram([W48])).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    });

    it('counts each question: answered, right, and which options were chosen', async () => {
      await term(ctx);
      const { stats } = ctx.records;
      const range = { fromWeek: W47.key, toWeek: W48.key };
      const rows = await stats.questionStats(range);
      expect(rows.map((r) => [r.questionId, r.answered, r.right])).toEqual([
        [Q[1]!.id, 3, 1],
        [Q[2]!.id, 3, 2],
        [Q[0]!.id, 3, 2],
      ]);
      expect(rows[0]).toMatchObject({ type: 'single', law: '中华人民共和国预算法', article: 13, articleSuffix: 0, version: '2018-12-29', stem: '第2题', options: ['甲', '乙', '丙', '丁'], answer: [0] });
      expect(rows[0]!.choices).toEqual([
        { chosen: [1], count: 2 },
        { chosen: [0], count: 1 },
      ]);
      const of18 = await stats.questionStats(range, { law: '中华人民共和国预算法', article: 18 });
      expect(of18.map((r) => r.questionId)).toEqual([Q[0]!.id]);
      expect(await stats.questionStats({ fromWeek: W48.key, toWeek: W48.key })).toEqual([]);
      expect(await stats.questionStats(range, { limit: 1 })).toHaveLength(1);
    });

    it('lists the laws studied in a week range', async () => {
      await term(ctx);
      expect(await ctx.records.stats.lawsStudied({ fromWeek: W47.key, toWeek: W47.key })).toEqual([
        { law: '中华人民共和国预算法', answers: 9, wrong: 4, articles: 2, people: 3 },
      ]);
      expect(await ctx.records.stats.lawsStudied({ fromWeek: W48.key, toWeek: W48.key })).toEqual([]);
    });

    it('gives back the stored xAPI statements of a week range, in the order stored', async () => {
      const t = await term(ctx);
      const { stats } = ctx.records;
      expect(await stats.xapiStatements(W47.key, W48.key)).toEqual([t.a, t.b, t.e].map((u) => ({ actor: u.id, week: W47.key, attempt: 1 })));
      expect(await stats.xapiStatements(W48.key, W48.key)).toEqual([]);
    });
  });
}
