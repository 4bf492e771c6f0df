/**
 * The previous turn of each conversation, so that 「那超过期限怎么办？」 is read against the law and topic
 * just discussed. Kept in memory per conversation id; a turn older than the TTL is forgotten.
 */

export interface Turn {
  question: string;
  /** Law version answered from (id and full title), when the answer was a law. */
  lawId?: string;
  lawTitle?: string;
  at: Date;
}

export interface ConversationStore {
  get(conversationId: string): Turn | undefined;
  set(conversationId: string, turn: Turn): void;
}

/** @example createConversationStore({ ttlMinutes: 30, now: () => new Date() }) */
export function createConversationStore(opts: { ttlMinutes: number; now: () => Date; maxConversations?: number }): ConversationStore {
  const turns = new Map<string, Turn>();
  const max = opts.maxConversations ?? 10_000;
  const ttlMs = opts.ttlMinutes * 60_000;
  return {
    get(id) {
      const turn = turns.get(id);
      if (!turn) return undefined;
      if (opts.now().getTime() - turn.at.getTime() > ttlMs) {
        turns.delete(id);
        return undefined;
      }
      return turn;
    },
    set(id, turn) {
      turns.delete(id);
      turns.set(id, turn);
      // Bounded memory: drop the least recently active conversation.
      if (turns.size > max) turns.delete(turns.keys().next().value!);
    },
  };
}

const FOLLOW_UP_START = /^(?:那|那么|那如果|如果|要是|假如|还有|另外|此外|然后|再问|再请问|接着|同时|并且|而且|可是|但是|但|这个|这种|这样|该|它|其|上述|以上)/;
const ANAPHORA = /这条|该条|此条|本条|上一条|这一条|上述|前述|这种情况|该情形|这个规定|该规定|这项|该法|这部法|这个法|其中/;

/**
 * Whether a question leans on the previous turn: it starts like a follow-up, points back, or is too short
 * to stand alone. A question that names its own law is never a follow-up.
 */
export function isFollowUp(question: string, namesALaw: boolean): boolean {
  if (namesALaw) return false;
  const q = question.trim().replace(/^[\s\p{P}]+/u, '');
  const bare = q.replace(/[\s\p{P}\p{S}]/gu, '');
  return FOLLOW_UP_START.test(q) || ANAPHORA.test(q) || bare.length <= 6;
}
