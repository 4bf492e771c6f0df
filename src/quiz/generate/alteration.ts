/**
 * Statement alteration for 判断题: a true statement made false by one precise change — a value or organ
 * swapped for a distractor of its kind, or a duty (应当 / 不得 / 必须) turned into a licence (可以).
 */
import type { Random } from '../random.ts';
import { distractorsFor, window } from './distractors.ts';
import type { LawContext } from './law-context.ts';
import type { Span } from './spans.ts';
import type { Unit } from './units.ts';

export interface Alteration {
  /** The statement as altered. */
  text: string;
  /** What the article says, and what the statement says instead. */
  original: string;
  replacement: string;
}

/** The unit with the span replaced by one distractor of its kind; undefined when none is safe. */
export function alterSpan(ctx: LawContext, unit: Unit, span: Span, rng: Random): Alteration | undefined {
  // A value the law uses again as another rule's bound (刑期超过三年的，予以开除；…三年以下有期徒刑的，一般应当予以开除)
  // splits two rules: moved either way, the statement is true under one of them.
  if (span.values.length > 0 && splitPoint(ctx, unit, span)) return undefined;
  const [wrong] = distractorsFor(ctx, unit, span, rng, 1);
  if (!wrong) return undefined;
  return { text: unit.text.slice(0, span.start) + wrong + unit.text.slice(span.end), original: span.text, replacement: wrong };
}

/** Whether the law states the span's value with the opposite bound elsewhere (超过三年 beside 三年以下). */
function splitPoint(ctx: LawContext, unit: Unit, span: Span): boolean {
  const after = unit.text.slice(span.end, span.end + 2);
  const before = unit.text.slice(Math.max(0, span.start - 2), span.start);
  if (/^以下/.test(after) || /不满$/.test(before)) return new RegExp(`(?<!不)超过${span.text}|${span.text}以上`).test(ctx.text);
  if (/^以上/.test(after) || /(?<!不)超过$/.test(before)) return new RegExp(`${span.text}以下|不满${span.text}`).test(ctx.text);
  return false;
}

/** Subjects whose duty or licence (应当 / 不得 / 可以) is worth a true-or-false question. */
const DUTY_SUBJECT = /预算|决算|政府|部门|机关|单位|采购人|代理机构|供应商|当事人|人民代表大会|常务委员会|国务院|机构|会计|审计|出资人|企业|经营者|消费者|申请人|相对人|公民|人民法院|监护人|[\u4e00-\u9fff]人(?:的)?[^，。；]{0,12}$/;
/**
 * The swaps where the modality is the point: a prohibition read as a licence (不得 → 可以: 「对同一个违法行为，
 * 可以给予两次以上罚款」), a discretion read as a duty (可以 → 应当: 「应当当场作出行政处罚决定」), a right
 * denied (有权 → 无权) and, for an organ's procedural duty (告知, 移送, 公开…), a duty read as a discretion.
 * Other 应当 → 可以 swaps are not made: a duty read as a licence is only weaker, and a reader may call it true.
 */
const MODAL_SWAP: Record<string, string> = { 不得: '可以', 可以: '应当', 有权: '无权', 无权: '有权', 应当: '可以' };
/**
 * The procedural and enforcement duties whose 应当 is the point of the rule: 应当（依法/及时/书面）告知…, 应当责令改正,
 * 应当给予处分, 应当组成合议庭, 应当上缴国库 — where 可以 would leave the organ a discretion the law denies it.
 */
const PROCEDURAL_DUTY = /^应当(?:依法|及时|立即|书面|当场|在[^，。；]{1,12}内|自[^，。；]{1,16}之日起[^，。；]{1,10}内)?(?:告知|通知|送达|移送|公开|公示|公布|听证|回避|说明理由|说明|备案|报告|报送|记录|登记|出示|答复|退还|返还|撤回|保密|受理|听取|交付|抄送|组织听证|予以公开|予以保密|予以答复|予以受理|予以登记|公告|书面答复|出具|征求意见|听取意见|核实|通报|提交|送交|退回|补正|审查|审核|核查|调查|作出决定|作出处理|作出答复|作出处理决定|责令|给予|组成合议庭|制作|办理|上缴|中止|终止|移交|开庭审理|没收|追缴|撤销|解除|驳回|退赔|暂停|予以)/;
/** A licence among alternatives (可以…也可以…, 或者) is no discretion worth turning into a duty. */
const ALTERNATIVES = /也可以|或者可以|可以[^，。；]*或者[^，。；]*(?:也|均)/;
/** 有权 / 无权 inside a noun (所有权, 享有权利, 具有权威) is no modal word. */
const MODAL_WORDS = /应当|不得|必须|可以|(?<![所享拥具持])(?:有权|无权)(?![利益力威属])/g;

export interface ModalSwap extends Alteration {
  /** Where the modal word stands in the unit. */
  at: number;
}

/**
 * The first modal word of the unit whose swap is the point (不得 → 可以, 可以 → 应当, 有权 ↔ 无权, a procedural
 * 应当 → 可以), alone in its clause, after a subject that bears duties or rights, where the swapped wording is
 * nowhere in the law.
 */
export function swapModal(ctx: LawContext, unit: Unit): ModalSwap | undefined {
  const text = unit.text;
  for (const found of text.matchAll(MODAL_WORDS)) {
    const m = found[0];
    const i = found.index!;
    const swapped = MODAL_SWAP[m];
    if (!swapped || i < unit.from || i >= (unit.to ?? text.length)) continue;
    const clauseStart = Math.max(text.lastIndexOf('，', i), text.lastIndexOf('；', i), text.lastIndexOf('。', i)) + 1;
    const clauseEnd = text.slice(i).search(/[，。；]/);
    const clause = text.slice(clauseStart, clauseEnd < 0 ? undefined : i + clauseEnd);
    if ((clause.match(MODAL_WORDS) ?? []).length !== 1) continue;
    if (!DUTY_SUBJECT.test(text.slice(Math.max(0, clauseStart - 30), i))) continue;
    if (m === '可以' && (ALTERNATIVES.test(text) || /^可以不/.test(text.slice(i)))) continue;
    if (m === '应当' && !PROCEDURAL_DUTY.test(text.slice(i))) continue;
    if (m === '必须') continue;
    if (ctx.text.includes(window(text, i, i + m.length, swapped))) continue;
    return { text: text.slice(0, i) + swapped + text.slice(i + m.length), original: m, replacement: swapped, at: i };
  }
  return undefined;
}
