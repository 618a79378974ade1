// A minimal agent with one npm dependency: answers /health, and turns a duration such as "2h" into
// milliseconds with `ms`, which only the dependency build puts in node_modules/.
const http = require('node:http');
const ms = require('ms');

const server = http.createServer((request, response) => {
  const reply = (status, body) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };
  if (request.method === 'GET' && request.url === '/health') return reply(200, { status: 'ok' });
  let body = '';
  request.on('data', (chunk) => (body += chunk));
  request.on('end', () => {
    let prompt = '';
    try {
      prompt = String(JSON.parse(body || '{}').prompt ?? '');
    } catch {
      return reply(400, { error: 'body must be JSON' });
    }
    const millis = ms(prompt);
    reply(200, {
      answer: millis === undefined ? `"${prompt}" is not a duration` : `${prompt} is ${millis} ms`,
    });
  });
});

// The cloud routes to every interface; a local emulator sets HOST=127.0.0.1.
server.listen(Number(process.env.PORT || 8000), process.env.HOST || '0.0.0.0');
