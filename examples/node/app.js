'use strict'
// A small Express app that tells TeamWeb AI's chat widget who the
// logged-in visitor is.
//
//   TEAMWEB_IDENTITY_SECRET=<secret from the channel settings> node app.js
//
// Listens on 127.0.0.1 (PORT, default: any free port) and prints its URL.

const express = require('express')
const { IdentityKey, widgetScriptTag } = require('teamweb-identity')

// Parse the secret once, at startup: a bad secret stops the app here with
// an InvalidSecretError that says what is wrong (never the secret itself).
const key = IdentityKey.fromBase64(process.env.TEAMWEB_IDENTITY_SECRET || '')
const WIDGET_SRC = process.env.TEAMWEB_WIDGET_SRC || 'https://teamweb.example/static/js/chat-widget.js'
const ASSISTANT_ID = process.env.TEAMWEB_ASSISTANT_ID || '123'

const app = express()

// Stand-in for your real authentication (a session, a JWT, passport, ...).
// DEMO_USER_ID, DEMO_USER_NAME and DEMO_USER_EMAIL choose who is logged in
// (the browser tests in tests/e2e set them).
const env = process.env
app.use((req, _res, next) => {
  req.user = {
    id: env.DEMO_USER_ID || 'user_123',
    name: env.DEMO_USER_NAME || 'Alice <Admin>',
    email: env.DEMO_USER_EMAIL || 'alice@example.com',
  }
  next()
})

const escapeHtml = (text) =>
  String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;' })[c])

app.get('/', (req, res) => {
  // One line: the token for this visitor, on the widget's script tag.
  const token = key.encrypt({ id: req.user.id, name: req.user.name, email: req.user.email })
  // The token is this visitor's credential: no shared or browser cache keeps the page.
  res.set('Cache-Control', 'private, no-store')
  res.type('html').send(`<!doctype html>
<html>
  <head><meta charset="utf-8"><title>Dashboard</title></head>
  <body>
    <h1>Welcome back, ${escapeHtml(req.user.name)}</h1>
    ${widgetScriptTag(WIDGET_SRC, ASSISTANT_ID, token)}
  </body>
</html>
`)
})

// An anonymous visitor: no token, so the widget asks who they are.
app.get('/signed-out', (_req, res) => {
  res.type('html').send(`<!doctype html>
<html>
  <head><meta charset="utf-8"><title>Welcome</title></head>
  <body>
    <h1>Welcome</h1>
    ${widgetScriptTag(WIDGET_SRC, ASSISTANT_ID)}
  </body>
</html>
`)
})

const server = app.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}/`)
})
