/**
 * /export through the real grammY bot: the XLSX goes to the admin as a Telegram document (sendDocument,
 * multipart upload) and opens in exceljs; a colleague who is not an admin gets no file.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app/app.ts';
import { createTelegramBot } from '../../src/chat/telegram/bot.ts';
import { loadConfig } from '../../src/config.ts';
import { silentLogger } from '../../src/log.ts';
import type { SqliteRecords } from '../../src/records/index.ts';
import { startBotApiServer, type BotApiServer, type UploadedFile } from '../helpers/bot-api-server.ts';

const ADMIN = { id: 1001, first_name: '王局长' };
const COLLEAGUE = { id: 2001, first_name: '张三' };

let api: BotApiServer;
let records: SqliteRecords;
let dir: string;
let stop: () => Promise<void>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pufa-tg-export-'));
  api = await startBotApiServer();
  const config = loadConfig(
    { LOG_LEVEL: 'silent', TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.apiRoot, ADMIN_TELEGRAM_IDS: String(ADMIN.id), REGISTRATION_POLICY: 'open' },
    { dataDir: join(dir, 'data') },
    dir,
  );
  // The production wiring (src/app/), without answers or the quiz.
  const app: App = createApp(config, silentLogger, {
    answerer: { answer: async (question) => ({ question, answer: '', mode: 'none', citations: [], related: [], ms: 0 }) },
    quiz: false,
  });
  records = app.records();
  await records.users.create({ identity: { channel: 'telegram', id: String(COLLEAGUE.id) }, name: '张三', status: 'active' });
  const core = await app.chat();
  const telegram = createTelegramBot(api.token, { core, config, logger: silentLogger, throttle: { out: { minTime: 0 }, group: { minTime: 0 } } });
  const running = await telegram.start();
  stop = async () => {
    await running.stop();
    await app.close();
  };
});

afterAll(async () => {
  await stop?.();
  await api?.close();
  await rm(dir, { recursive: true, force: true });
});

it('an admin gets the XLSX as a document that opens with its four sheets; a colleague gets none', async () => {
  api.text(COLLEAGUE, '/export');
  await api.waitFor((c) => c.method === 'sendMessage' && Number(c.payload.chat_id) === COLLEAGUE.id);

  api.text(ADMIN, '/export');
  const call = await api.waitFor((c) => c.method === 'sendDocument');
  expect(Number(call.payload.chat_id)).toBe(ADMIN.id);
  const file = call.payload.document as UploadedFile;
  expect(file.filename).toMatch(/^pufa-学法考试-.+\.xlsx$/);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(file.data as unknown as ArrayBuffer);
  expect(wb.worksheets.map((w) => w.name)).toEqual(['人员成绩', '科室汇总', '职级汇总', '易错条文', '说明']);
  expect(wb.getWorksheet('人员成绩')!.getRow(1).getCell(1).value).toBe('周次');

  expect(api.calls.filter((c) => c.method === 'sendDocument')).toHaveLength(1);
  expect(api.calls.some((c) => c.method === 'sendDocument' && Number(c.payload.chat_id) === COLLEAGUE.id)).toBe(false);
});
