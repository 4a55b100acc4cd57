import { createServer } from 'node:http';

/** The baseline: a node:http server that reads the body, parses the JSON and answers 202. Nothing else. */
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    try {
      JSON.parse(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(202, { 'content-type': 'application/json' }).end('{"ok":true}');
    } catch {
      res.writeHead(400).end();
    }
  });
});
server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  if (addr && typeof addr === 'object') process.stderr.write(`{"msg":"bare listening","url":"http://127.0.0.1:${addr.port}"}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
