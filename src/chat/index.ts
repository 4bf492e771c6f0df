/** The conversation core and its ports; transports live in ./telegram and ./terminal. */
export { createChatCore, builtinFeatures, type ChatCore, type ChatCoreOptions } from './core.ts';
export { splitMessage, plainText, textMessage, bold, italic, para, TELEGRAM_LIMIT } from './format.ts';
export { createRateLimiter, type RateLimiter } from './rate-limit.ts';
export type * from './types.ts';
