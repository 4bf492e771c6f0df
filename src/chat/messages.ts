/** Sentences the core says in several places, kept together so the tone stays the same. */
export const MSG = {
  unregistered: '您还没有注册。请发送 /start 完成注册后再使用普法助手。',
  unregisteredInGroup: '您还没有注册。请先私聊我并发送 /start 完成注册。',
  pending: '您的注册申请正在等待管理员审核，审核通过后会通知您。',
  disabled: '您的账号已停用，如有疑问请联系管理员。',
  adminOnly: '抱歉，此功能仅限管理员使用。',
  expired: '该按钮已失效，请重新操作。',
  sentPrivately: '已通过私聊发送给您，请查看与我的私聊窗口。',
  startPrivateFirst: '我无法主动私聊您：请先点开我的头像，在私聊中发送 /start，然后再试。',
  notYours: '这是其他同事的提问，按钮仅对提问人有效。',
  unknownCommand: (name: string) => `未知命令 /${name}。发送 /help 查看可用命令。`,
  restartedTooLate: (question: string) =>
    `抱歉，普法助手刚才重启，没来得及回答您之前的问题「${question.length > 30 ? question.slice(0, 30) + '…' : question}」，请重新发送。`,
  tappedTooFast: '操作太频繁了，请稍等片刻再点。',
  rateLimited: (perMinute: number) => `您发送得太快了，请稍等片刻再试（每分钟最多 ${perMinute} 条）。`,
};
