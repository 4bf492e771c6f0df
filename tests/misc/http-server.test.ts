import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, it } from 'vitest';
import { listenHttp } from '../../src/http-server.ts';

it('a taken port fails with a message naming the port and the setting to change', async () => {
  const taken = createServer();
  await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
  const port = (taken.address() as AddressInfo).port;
  try {
    await expect(listenHttp(() => new Response('ok'), { host: '127.0.0.1', port, setting: 'ADMIN_WEB_PORT' })).rejects.toThrow(
      `端口 ${port} 已被占用（127.0.0.1:${port}）：请换一个 ADMIN_WEB_PORT`,
    );
  } finally {
    await new Promise((r) => taken.close(r));
  }
});

it('serves requests on a free port', async () => {
  const server = await listenHttp(() => new Response('普法'), { host: '127.0.0.1', port: 0, setting: 'ADMIN_WEB_PORT' });
  try {
    const { port } = server.address() as AddressInfo;
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('普法');
  } finally {
    await new Promise((r) => server.close(r));
  }
});
