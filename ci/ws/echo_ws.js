// WebSocket echo server on the Node `ws` library, started by ci/ws-servers.sh.
//
// Usage: node echo_ws.js HOST PORT   (PORT 0 picks a free port; `ws` must be on NODE_PATH)
//
// Echoes every message with its own type (text as text, binary as binary) on any path, as
// Autobahn's echo servers do. permessage-deflate is on and messages up to 64 MiB are accepted
// (Autobahn 9.x sends 16 MiB). Prints `listening on HOST:PORT` first, then serves until
// SIGTERM or SIGINT.
'use strict';

const { WebSocketServer } = require('ws');

const MAX_PAYLOAD = 64 * 1024 * 1024;

const [host, portText] = process.argv.slice(2);
if (!host || portText === undefined) {
  console.error('usage: node echo_ws.js HOST PORT');
  process.exit(2);
}

const wss = new WebSocketServer({
  host,
  port: Number(portText),
  perMessageDeflate: true,
  maxPayload: MAX_PAYLOAD,
});

wss.on('listening', () => {
  const { address, port } = wss.address();
  console.log(`listening on ${address}:${port}`);
});

wss.on('connection', (ws) => {
  // ws reports a peer's protocol error (after closing with 1002/1007/...) as an 'error' event;
  // without a listener Node would throw and the whole server would exit.
  ws.on('error', () => {});
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
});

for (const sig of ['SIGTERM', 'SIGINT']) {
  process.on(sig, () => {
    for (const client of wss.clients) client.terminate();
    wss.close(() => process.exit(0));
  });
}
