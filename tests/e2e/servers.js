'use strict'
// The example servers the browser suite puts in front of Chromium: one entry
// each. Adding a server is adding an entry here; see
// README.md beside this file for what the server itself must do.
//
//   name    what the tests and screenshots are called after
//   build   optional: a command run once before the server's tests
//           ({ command, args, env })
//   start   (port) => the command that serves the example on 127.0.0.1:port
//
// Every server gets, besides start()'s env: PORT, TEAMWEB_IDENTITY_SECRET,
// TEAMWEB_WIDGET_SRC, TEAMWEB_ASSISTANT_ID, DEMO_USER_ID, DEMO_USER_NAME,
// DEMO_USER_EMAIL and LC_ALL=C.UTF-8. Its packages are the ones the
// bindings' own `make driver` installed under target/ (`make test-e2e`
// runs `make drivers` first).

const path = require('node:path')
const fs = require('node:fs')

const ROOT = path.resolve(__dirname, '../..')
const TARGET = path.join(ROOT, 'target')
const MVN = ['-B', '-q', '-ntp']

module.exports = [
  {
    // The wheel and Flask in the venv of `make -C bindings-python driver`.
    name: 'python-flask',
    start: (port) => ({
      command: path.join(TARGET, 'python-test-venv/bin/python'),
      args: [path.join(ROOT, 'examples/python/app.py'), '--port', String(port)],
    }),
  },
  {
    // The tarball and Express in the project of `make -C bindings-node consumer`.
    name: 'node-express',
    start: () => ({
      command: process.execPath,
      args: [path.join(ROOT, 'examples/node/app.js')],
      env: { NODE_PATH: path.join(TARGET, 'node-consumer/node_modules') },
    }),
  },
  {
    // The Maven artifact of `make -C bindings-kotlin build`, in the consumer
    // project examples/kotlin (JDK's HttpServer, no framework).
    name: 'kotlin-jvm',
    build: { command: 'mvn', args: [...MVN, '-f', path.join(ROOT, 'examples/kotlin/pom.xml'), 'package'] },
    start: () => {
      const out = path.join(TARGET, 'kotlin-example')
      const classpath = fs.readFileSync(path.join(out, 'classpath.txt'), 'utf8').trim()
      return { command: 'java', args: ['-cp', `${out}/classes:${classpath}`, 'ai.teamweb.example.WidgetPageKt'] }
    },
  },
  {
    // examples/go (net/http), its own module with a replace to bindings-go,
    // linking the static library of `make -C bindings-go build`.
    name: 'go-nethttp',
    build: {
      command: 'go',
      args: ['-C', path.join(ROOT, 'examples/go'), 'build', '-o', path.join(TARGET, 'go-example/server'), '.'],
      env: { GOTOOLCHAIN: 'local', CGO_ENABLED: '1' },
    },
    start: () => ({ command: path.join(TARGET, 'go-example/server') }),
  },
  {
    // examples/ruby's Rack-style app under its stdlib-socket server.rb, with
    // the gem of `make -C bindings-ruby driver` in its fresh GEM_HOME.
    name: 'ruby-rack',
    start: (port) => ({
      command: 'ruby',
      args: [path.join(ROOT, 'examples/ruby/server.rb'), '--port', String(port)],
      // GEM_HOME only, as a user who installed the gem there (undefined
      // leaves a variable out).
      env: { GEM_HOME: path.join(TARGET, 'ruby-gem-home'), GEM_PATH: undefined, RUBYLIB: undefined, RUBYOPT: undefined },
    }),
  },
  {
    // examples/cloudflare-worker under `wrangler dev` (workerd, offline), in
    // the project of `make -C bindings-node runtimes` (the tarball, wrangler
    // from npm): the secret as a secret binding (.dev.vars), the rest as vars.
    name: 'cloudflare-worker',
    start: () => ({
      command: 'bash',
      args: ['-c', [
        'printf "TEAMWEB_IDENTITY_SECRET=%s\\n" "$TEAMWEB_IDENTITY_SECRET" > .dev.vars',
        'exec "$0" dev --ip 127.0.0.1 --port "$PORT" --show-interactive-dev-session=false' +
          ' --var "TEAMWEB_WIDGET_SRC:$TEAMWEB_WIDGET_SRC" --var "TEAMWEB_ASSISTANT_ID:$TEAMWEB_ASSISTANT_ID"' +
          ' --var "DEMO_USER_ID:$DEMO_USER_ID" --var "DEMO_USER_NAME:$DEMO_USER_NAME" --var "DEMO_USER_EMAIL:$DEMO_USER_EMAIL"',
      ].join(' && '), path.join(TARGET, 'node-runtimes/node_modules/.bin/wrangler')],
      cwd: path.join(TARGET, 'node-runtimes/example-worker'),
      env: { CI: '1', WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', NO_COLOR: '1' },
    }),
  },
  {
    // examples/php under PHP's built-in server, with the extension of
    // `make -C bindings-php driver` loaded as a user loads it.
    name: 'php-plain',
    start: (port) => ({
      command: 'php',
      args: ['-d', `extension=${path.join(TARGET, 'php/teamweb_identity.so')}`, '-S', `127.0.0.1:${port}`,
        path.join(ROOT, 'examples/php/index.php')],
    }),
  },
]
