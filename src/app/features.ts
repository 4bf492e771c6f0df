/** The chat features every transport offers, in dispatch order (registration sees text first: it may be a form answer). */
import { createAdminFeature } from '../chat/features/admin.ts';
import { askFeature } from '../chat/features/ask.ts';
import { bindFeature } from '../chat/features/bind.ts';
import { helpFeature } from '../chat/features/help.ts';
import { lawFeature } from '../chat/features/law.ts';
import { profileFeature } from '../chat/features/profile.ts';
import { createQuizFeature } from '../chat/features/quiz.ts';
import { registrationFeature } from '../chat/features/registration.ts';
import { createWebLinkFeature } from '../chat/features/weblink.ts';
import { createSignInGrants, webChatBaseUrl } from '../chat/web/signin.ts';
import type { ChatFeature } from '../chat/types.ts';
import type { Config } from '../config.ts';
import { organizationSource } from '../knowledge/organization.ts';
import type { QuizService } from '../quiz/session.ts';
import type { Records } from '../records/ports.ts';
import type { TrainingRepository } from '../records/training.ts';

/** The weekly quiz and the training records it writes. */
export interface QuizParts {
  service: QuizService;
  training: TrainingRepository;
}

export interface FeatureParts {
  config: Config;
  records: Records;
  /** Absent when the weekly quiz is unavailable (no index, broken checklist): /quiz is then not offered. */
  quiz?: QuizParts;
  now: () => Date;
}

export function chatFeatures(parts: FeatureParts): ChatFeature[] {
  return [
    registrationFeature,
    bindFeature,
    helpFeature,
    profileFeature,
    lawFeature,
    askFeature,
    ...(parts.quiz ? [createQuizFeature(parts.quiz.service)] : []),
    createAdminFeature({ records: parts.records, config: parts.config, now: parts.now, organization: organizationSource(parts.config.knowledgeDir) }),
    createWebLinkFeature({
      baseUrl: () => webChatBaseUrl(parts.config.webChat),
      issue: (userId, ttlMs) => createSignInGrants(parts.records.sessions, parts.now).issue(userId, ttlMs),
      ttlMs: parts.config.webChat.linkTtlMs,
    }),
  ];
}
