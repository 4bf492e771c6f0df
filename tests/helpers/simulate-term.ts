/**
 * A simulated term of weekly quizzes, written straight into the pinned training tables with their
 * documented conventions (src/records/training-migrations.ts): 40 users across departments and ranks,
 * 12 weeks of attempts, answers, weekly results (grading rule 'best'), xAPI statements, plus a Q&A log.
 * Seeded randomness and an injected "now", so every run writes the same records.
 *
 * @example const term = await simulateTerm(records, { now: new Date('2026-11-27T04:00:00Z') });
 */
import { buildAttemptStatement } from '../../src/quiz/xapi.ts';
import { createRandom } from '../../src/quiz/random.ts';
import { creditedHours, weekGrade, type FinishedAttempt } from '../../src/quiz/grading.ts';
import { quizWeekOf, shiftWeek, type QuizWeek } from '../../src/quiz/week.ts';
import { articleLabel } from '../../src/knowledge/article-reference.ts';
import { identityOn, type SqliteRecords } from '../../src/records/index.ts';
import type { UserRecord } from '../../src/records/types.ts';

export const SIM_DEPARTMENTS = ['预算科', '国库科', '政府采购监督管理科', '会计科', '综合办公室', '法规科'];
export const SIM_RANKS = ['局领导', '四级调研员及以上', '一级主任科员', '二级主任科员', '四级主任科员', '一级科员'];
export const SIM_ROLES = ['全体干部', '预算管理岗', '政府采购岗', '会计监督岗'];
const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕';
const GIVEN = ['伟', '芳', '娜', '敏', '静', '磊', '洋', '艳', '勇', '军', '杰', '娟', '涛', '明', '超', '霞', '平', '刚', '桂英', '志强', '秀兰', '建国', '海燕', '晓东'];

/** Real articles of checklist laws (so links to the article text resolve in the index). */
export const SIM_ARTICLES: { law: string; article: number; version: string }[] = [
  ...[4, 13, 18, 19, 27, 32, 53, 57, 69, 88].map((a) => ({ law: '中华人民共和国预算法', article: a, version: '2018-12-29' })),
  ...[2, 26, 36, 42, 47, 71].map((a) => ({ law: '中华人民共和国政府采购法', article: a, version: '2014-08-31' })),
  ...[9, 14, 21, 38].map((a) => ({ law: '中华人民共和国会计法', article: a, version: '2024-06-28' })),
  ...[19, 33, 36].map((a) => ({ law: '中华人民共和国政府信息公开条例', article: a, version: '2019-04-03' })),
  ...[36, 44, 45].map((a) => ({ law: '中华人民共和国行政处罚法', article: a, version: '2021-01-22' })),
];

export interface SimulateTermOptions {
  users?: number;
  weeks?: number;
  seed?: string | number;
  /** The moment the term is looked at: inside its last week, which is therefore partly done. */
  now?: Date;
  timezone?: string;
  passMark?: number;
  hoursPerPass?: number;
  questionsPerQuiz?: number;
  /** Q&A log entries to add. */
  questions?: number;
}

export interface SimulatedTerm {
  now: Date;
  timezone: string;
  weeks: string[];
  currentWeek: string;
  /** The active staff (the admin among them). */
  users: UserRecord[];
  admin: UserRecord;
  /** Joined in the middle of the term: not eligible before. */
  lateJoiner: UserRecord;
  /** Disabled after a few weeks: has results, not eligible. */
  disabledUser: UserRecord;
  pendingUser: UserRecord;
  attempts: number;
  answers: number;
}

export const SIM_NOW = new Date('2026-11-27T04:00:00Z'); // Friday 12:00 in Shanghai, week 2026-W48

export async function simulateTerm(records: SqliteRecords, opts: SimulateTermOptions = {}): Promise<SimulatedTerm> {
  const n = opts.users ?? 40;
  const weekCount = opts.weeks ?? 12;
  const now = opts.now ?? SIM_NOW;
  const tz = opts.timezone ?? 'Asia/Shanghai';
  const passMark = opts.passMark ?? 60;
  const hoursPerPass = opts.hoursPerPass ?? 0.5;
  const size = opts.questionsPerQuiz ?? 10;
  const rnd = createRandom(`term|${opts.seed ?? 1}`);
  const db = records.db;

  const current = quizWeekOf(now, tz);
  const weeks: QuizWeek[] = [];
  for (let i = weekCount - 1; i >= 0; i--) weeks.push(shiftWeek(current, -i, tz));
  const termStart = new Date(weeks[0]!.start.getTime() - 7 * 86_400_000).toISOString();

  const setCreated = db.prepare('UPDATE users SET created_at = ?, updated_at = ? WHERE id = ?');
  const users: UserRecord[] = [];
  const lateIndex = Math.floor(n / 2);
  const lateWeek = weeks[Math.floor(weekCount / 2)]!;
  for (let i = 0; i < n; i++) {
    const name = `${SURNAMES[i % SURNAMES.length]}${GIVEN[(i * 7) % GIVEN.length]}`;
    const roles = ['全体干部', ...(i % 3 === 0 ? ['预算管理岗'] : []), ...(i % 4 === 1 ? ['政府采购岗'] : []), ...(i % 5 === 2 ? ['会计监督岗'] : [])];
    const u = await records.users.create({
      identity: { channel: 'telegram', id: String(9_100_001 + i) },
      name,
      department: SIM_DEPARTMENTS[i % SIM_DEPARTMENTS.length]!,
      rank: SIM_RANKS[(i * 5 + Math.floor(i / 6)) % SIM_RANKS.length]!,
      roles,
      status: 'active',
      isAdmin: i === 0,
    });
    const created = i === lateIndex ? new Date(lateWeek.start.getTime() + 2 * 86_400_000).toISOString() : termStart;
    setCreated.run(created, created, u.id);
    users.push((await records.users.get(u.id))!);
  }
  const disabled = await records.users.create({
    identity: { channel: 'telegram', id: '9199998' },
    name: '离职人员',
    department: SIM_DEPARTMENTS[0]!,
    rank: SIM_RANKS[5]!,
    roles: ['全体干部'],
    status: 'active',
  });
  setCreated.run(termStart, termStart, disabled.id);
  const pending = await records.users.create({
    identity: { channel: 'telegram', id: '9199999' },
    name: '新同事',
    department: SIM_DEPARTMENTS[1]!,
    rank: SIM_RANKS[5]!,
    roles: ['全体干部'],
    status: 'pending',
  });

  const insertAttempt = db.prepare(
    `INSERT INTO quiz_attempts (user_id, week, attempt_no, status, questions, current_index, correct_count, total, score, passed, pass_mark, started_at, finished_at, duration_ms, chat_id, message_id)
     VALUES (@user_id, @week, @attempt_no, @status, @questions, @current_index, @correct_count, @total, @score, @passed, @pass_mark, @started_at, @finished_at, @duration_ms, @chat_id, @message_id)`,
  );
  const insertAnswer = db.prepare(
    `INSERT INTO quiz_answers (attempt_id, question_index, question_id, type, law, article, article_suffix, version, chosen, correct, answered_at)
     VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)`,
  );
  const insertResult = db.prepare(
    `INSERT INTO weekly_results (user_id, week, status, score, pass_mark, attempts, duration_ms, hours, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertStatement = db.prepare('INSERT INTO xapi_statements (id, user_id, week, attempt_id, statement, stored_at) VALUES (?, ?, ?, ?, ?, ?)');

  // Each article has a difficulty; a few are hard, so weak articles stand out.
  const difficulty = SIM_ARTICLES.map(() => (rnd.next() < 0.2 ? 0.25 + rnd.next() * 0.2 : rnd.next() * 0.12));
  const people = [...users.map((u) => ({ u, diligence: 0.55 + rnd.next() * 0.43, skill: 0.5 + rnd.next() * 0.45 })), { u: disabled, diligence: 0.9, skill: 0.7 }];
  let attemptsCount = 0;
  let answersCount = 0;

  const write = db.transaction(() => {
    weeks.forEach((week, wi) => {
      const isCurrent = week.key === current.key;
      // The latest moment anything of this week can have happened.
      const horizon = Math.min(week.end.getTime(), now.getTime());
      const open = week.start.getTime() + 9 * 3600_000;
      for (const p of people) {
        if (p.u.id === users[lateIndex]!.id && week.index < lateWeek.index) continue;
        if (p.u.id === disabled.id && wi >= 4) continue;
        const r = rnd.next();
        const participates = r < p.diligence * (isCurrent ? 0.65 : 1);
        if (!participates) {
          if (rnd.next() < 0.5) insertResult.run(p.u.id, week.key, 'not_started', null, passMark, 0, 0, 0, new Date(open).toISOString());
          continue;
        }
        const abandons = rnd.next() < 0.06;
        const finished: (FinishedAttempt & { id: number; correct: number })[] = [];
        let t = open + rnd.next() * (horizon - open - 3 * 3600_000);
        for (let attemptNo = 1; attemptNo <= 2; attemptNo++) {
          const inProgress = abandons && attemptNo === 1;
          const picks = rnd.shuffle(SIM_ARTICLES.map((_, i) => i)).slice(0, size);
          const answered = inProgress ? 1 + rnd.int(size - 2) : size;
          const questions = picks.map((ai, qi) => {
            const a = SIM_ARTICLES[ai]!;
            return {
              id: `sim:${a.law}@${a.version}:${a.article}:${qi}`,
              type: (['single', 'multiple', 'judge'] as const)[qi % 3],
              stem: `关于${articleLabel(a.article)}的题目`,
              options: qi % 3 === 2 ? ['正确', '错误'] : ['A', 'B', 'C', 'D'],
              answer: [0],
              law: a.law,
              article: articleLabel(a.article),
              articleNumber: a.article,
              articleSuffix: 0,
              version: a.version,
              explanation: `依据《${a.law}》${articleLabel(a.article)}。`,
            };
          });
          const started = t;
          const perQuestion = 20_000 + rnd.int(60_000);
          const results = picks.slice(0, answered).map((ai) => rnd.next() < p.skill - difficulty[ai]!);
          const correct = results.filter(Boolean).length;
          const durationMs = perQuestion * answered;
          const score = Math.round((100 * correct) / size);
          const info = insertAttempt.run({
            user_id: p.u.id,
            week: week.key,
            attempt_no: attemptNo,
            status: inProgress ? 'in_progress' : 'completed',
            questions: JSON.stringify(questions),
            current_index: answered,
            correct_count: correct,
            total: size,
            score: inProgress ? null : score,
            passed: inProgress ? null : score >= passMark ? 1 : 0,
            pass_mark: passMark,
            started_at: new Date(started).toISOString(),
            finished_at: inProgress ? null : new Date(started + durationMs).toISOString(),
            duration_ms: inProgress ? null : durationMs,
            chat_id: identityOn(p.u.identities, 'telegram'),
            message_id: String(1000 + attemptsCount),
          });
          const attemptId = Number(info.lastInsertRowid);
          attemptsCount++;
          results.forEach((ok, qi) => {
            const q = questions[qi]!;
            insertAnswer.run(attemptId, qi, q.id, q.type, q.law, q.articleNumber, q.version, JSON.stringify(ok ? [0] : [1]), ok ? 1 : 0, new Date(started + perQuestion * (qi + 1)).toISOString());
            answersCount++;
          });
          if (inProgress) break;
          finished.push({ attempt: attemptNo, score, finishedAt: new Date(started + durationMs).toISOString(), durationMs, id: attemptId, correct });
          const statement = buildAttemptStatement({
            staffId: p.u.staffId,
            homePage: 'https://pufa.example.gov.cn',
            activityBase: 'https://pufa.example.gov.cn/xapi',
            weekKey: week.key,
            attempt: attemptNo,
            score,
            passMark,
            correct,
            total: size,
            durationMs,
            finishedAt: new Date(started + durationMs),
          });
          insertStatement.run(statement.id, p.u.id, week.key, attemptId, JSON.stringify(statement), statement.timestamp);
          t = started + durationMs + 3600_000;
          const retry = score < passMark && rnd.next() < 0.5 && t + 3600_000 < horizon;
          if (!retry) break;
        }
        const grade = weekGrade(finished, 'best', passMark);
        const status = grade ? (grade.passed ? 'passed' : 'completed') : 'in_progress';
        insertResult.run(
          p.u.id,
          week.key,
          status,
          grade?.score ?? null,
          passMark,
          finished.length,
          finished.reduce((s, a) => s + a.durationMs, 0),
          creditedHours(grade, hoursPerPass),
          new Date(t).toISOString(),
        );
      }
    });

    // The Q&A log: questions with citations and some feedback.
    const qa = db.prepare(
      `INSERT INTO qa_log (user_id, chat_id, question, answer, mode, citations, related, latency_ms, feedback, feedback_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, '[]', ?, ?, ?, ?)`,
    );
    const asks = ['预算年度是怎么规定的？', '政府采购合同多久备案？', '会计账簿保存多久？', '信息公开申请多少天答复？', '未列入预算的支出可以花吗？', '行政处罚的追责时效是几年？'];
    for (let i = 0; i < (opts.questions ?? 60); i++) {
      const u = users[rnd.int(users.length)]!;
      const a = SIM_ARTICLES[rnd.int(SIM_ARTICLES.length)]!;
      const at = new Date(weeks[0]!.start.getTime() + rnd.next() * (now.getTime() - weeks[0]!.start.getTime()));
      const fb = rnd.next();
      const feedback = fb < 0.3 ? 1 : fb < 0.45 ? -1 : null;
      const citation = { doc: 'law', law: a.law, article: a.article, articleLabel: articleLabel(a.article), version: a.version, status: 'current', text: `（${articleLabel(a.article)}条文）` };
      qa.run(u.id, identityOn(u.identities, 'telegram'), asks[i % asks.length]!, `依据《${a.law}》${articleLabel(a.article)}作答。`, 'extractive', JSON.stringify([citation]), 50 + rnd.int(400), feedback, feedback === null ? null : at.toISOString(), at.toISOString());
    }
  });
  write();
  await records.users.transition(disabled.id, 'active', 'disabled');

  return {
    now,
    timezone: tz,
    weeks: weeks.map((w) => w.key),
    currentWeek: current.key,
    users: await Promise.all(users.map(async (u) => (await records.users.get(u.id))!)),
    admin: (await records.users.get(users[0]!.id))!,
    lateJoiner: (await records.users.get(users[lateIndex]!.id))!,
    disabledUser: (await records.users.get(disabled.id))!,
    pendingUser: (await records.users.get(pending.id))!,
    attempts: attemptsCount,
    answers: answersCount,
  };
}
