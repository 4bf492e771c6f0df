/**
 * Deciding a registration (approve or reject a pending person), the same from the chat buttons and from the
 * dashboard: once, whoever decides first; audited; the applicant told over their own channel.
 */
import type { Logger } from '../log.ts';
import type { Records } from '../records/ports.ts';
import type { UserRecord } from '../records/types.ts';
import { reachable, type Messenger } from './messenger.ts';

export type RegistrationDecision =
  | { kind: 'decided'; target: UserRecord; verdict: string; notified: boolean }
  | { kind: 'already'; target: UserRecord }
  | { kind: 'missing' };

/**
 * Approve or reject a pending registration, once: whoever decides first wins, later ones find it decided. The
 * decision is audited and the applicant told over their channel. Shared by the chat buttons and the dashboard.
 */
export async function decideRegistration(
  deps: { records: Pick<Records, 'users' | 'audit'>; messenger: Messenger; logger: Logger },
  actor: { userId: number | null; via: string },
  action: 'ok' | 'no',
  targetId: number,
): Promise<RegistrationDecision> {
  const { records } = deps;
  const target = await records.users.get(targetId);
  if (!target) return { kind: 'missing' };
  const to = action === 'ok' ? 'active' : 'disabled';
  if (!(await records.users.transition(target.id, 'pending', to))) return { kind: 'already', target };
  await records.audit.add({
    actorUserId: actor.userId,
    action: action === 'ok' ? 'registration.approve' : 'registration.reject',
    targetUserId: target.id,
    detail: { name: target.name, department: target.department, via: actor.via },
  });
  const verdict = action === 'ok' ? '已通过' : '已拒绝';
  const applicant = reachable(target.identities);
  let notified = false;
  if (applicant.length) {
    const text =
      action === 'ok'
        ? '您的注册申请已通过！现在可以直接发送问题，例如「预算年度是怎么规定的？」。发送 /help 查看全部用法。'
        : '很抱歉，您的注册申请未通过。如有疑问，请联系管理员。';
    try {
      notified = await deps.messenger.sendTo(applicant, text);
    } catch (err) {
      deps.logger.warn('could not notify the applicant', { userId: target.id, error: err as Error });
    }
  }
  return { kind: 'decided', target, verdict, notified };
}

