import { describe, expect, it } from 'vitest';
import { attemptsLeft, creditedHours, isCorrect, scoreAttempt, weekGrade, type FinishedAttempt } from '../../src/quiz/grading.ts';
import { buildAttemptStatement, isoDuration, uuidV5, PUFA_XAPI_NAMESPACE } from '../../src/quiz/xapi.ts';

describe('grading', () => {
  it('counts a multiple-choice answer right only when exactly the right options are chosen', () => {
    const q = { answer: [0, 2, 3] };
    expect(isCorrect(q, [3, 0, 2])).toBe(true);
    expect(isCorrect(q, [0, 2])).toBe(false);
    expect(isCorrect(q, [0, 1, 2, 3])).toBe(false);
  });

  it('scores 0–100 with unanswered questions wrong', () => {
    const qs = [{ answer: [0] }, { answer: [1] }, { answer: [0, 1] }];
    expect(scoreAttempt(qs, [[0], [1], undefined])).toEqual({ correct: 2, total: 3, score: 67 });
    expect(scoreAttempt([], []).score).toBe(0);
  });

  it('grades the week by the best or the last attempt, against the pass mark', () => {
    const attempts: FinishedAttempt[] = [
      { attempt: 1, score: 50, finishedAt: '2026-11-23T02:00:00Z', durationMs: 1 },
      { attempt: 2, score: 80, finishedAt: '2026-11-24T02:00:00Z', durationMs: 1 },
      { attempt: 3, score: 40, finishedAt: '2026-11-25T02:00:00Z', durationMs: 1 },
    ];
    expect(weekGrade(attempts, 'best', 60)).toEqual({ attempt: 2, score: 80, passed: true, attemptsUsed: 3 });
    expect(weekGrade(attempts, 'last', 60)).toEqual({ attempt: 3, score: 40, passed: false, attemptsUsed: 3 });
    expect(weekGrade([], 'best', 60)).toBeUndefined();
    expect(weekGrade(attempts.slice(0, 1), 'best', 50)?.passed).toBe(true);
    expect(attemptsLeft(3, 3)).toBe(0);
    expect(attemptsLeft(1, 3)).toBe(2);
    expect(creditedHours(weekGrade(attempts, 'best', 60), 0.5)).toBe(0.5);
    expect(creditedHours(weekGrade(attempts, 'last', 60), 0.5)).toBe(0);
  });
});

describe('xAPI statements', () => {
  const input = {
    staffId: 'S0017',
    homePage: 'https://pufa.example.gov.cn',
    activityBase: 'https://pufa.example.gov.cn/xapi/',
    weekKey: '2026-W48',
    attempt: 1,
    score: 80,
    passMark: 60,
    correct: 8,
    total: 10,
    durationMs: 725_300,
    finishedAt: new Date('2026-11-24T03:04:05Z'),
  };

  it('makes RFC 4122 version-5 ids (checked against Python’s uuid.uuid5)', () => {
    expect(uuidV5('S0017|2026-W48|1', PUFA_XAPI_NAMESPACE)).toBe('b1c6305d-bb3c-53b8-a2a7-e82308b9b0d3');
  });

  it('describes a passed attempt with the opaque staff id, the week’s assessment and the result', () => {
    const s = buildAttemptStatement(input);
    expect(s.id).toBe('b1c6305d-bb3c-53b8-a2a7-e82308b9b0d3');
    expect(s.actor).toEqual({ objectType: 'Agent', account: { homePage: 'https://pufa.example.gov.cn', name: 'S0017' } });
    expect(s.verb.id).toBe('http://adlnet.gov/expapi/verbs/passed');
    expect(s.object.id).toBe('https://pufa.example.gov.cn/xapi/quiz/2026-W48');
    expect(s.object.definition.type).toBe('http://adlnet.gov/expapi/activities/assessment');
    expect(s.object.definition.name['zh-CN']).toBe('2026年第48周学法考试');
    expect(s.result).toMatchObject({ score: { scaled: 0.8, raw: 80, min: 0, max: 100 }, success: true, completion: true, duration: 'PT12M5.3S' });
    expect(s.timestamp).toBe('2026-11-24T03:04:05.000Z');
  });

  it('gives a retry of the same attempt the same id, and another attempt another', () => {
    expect(buildAttemptStatement(input).id).toBe(buildAttemptStatement({ ...input, finishedAt: new Date() }).id);
    expect(buildAttemptStatement({ ...input, attempt: 2 }).id).not.toBe(buildAttemptStatement(input).id);
    const failed = buildAttemptStatement({ ...input, attempt: 2, score: 40 });
    expect(failed.verb.id).toBe('http://adlnet.gov/expapi/verbs/failed');
    expect(failed.result.success).toBe(false);
  });

  it('writes durations in ISO 8601', () => {
    expect(isoDuration(0)).toBe('PT0S');
    expect(isoDuration(3_600_000)).toBe('PT1H');
    expect(isoDuration(3_723_000)).toBe('PT1H2M3S');
  });
});
