'use strict'
// The whole flow of the public page in a real browser: an example server
// mints the token and writes the widget's script tag, Chromium parses the
// page and runs the stand-in widget, the widget sends the token to the
// stand-in receiving side, which opens it and writes the Contact and the
// conversation to SQLite. See README.md beside this file.

const { describe, test, before, after } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const crypto = require('node:crypto')
const servers = require('./servers')
const h = require('./harness')

const ASSISTANT = '7'
const OTHER_ASSISTANT = '8'
const TIMEOUT = { timeout: 120000 } // a test
const SUITE_TIMEOUT = { timeout: 900000 } // a server's suite, with its build

// A channel's identity secret, as its settings page would show it.
const newSecret = () => crypto.randomBytes(32).toString('base64')

// Quotes, <, &, non-ASCII and an emoji, in every field.
const userFor = (server) => ({
  id: `e2e-${server.name} "42" <&> ü`,
  name: `Zoë "Zee" O'Brien <admin> & Søn 🦊`,
  email: `zoë.o'brien+🦊@example.com`,
})

// The one token on the page's widget tag, as the HTML parser reads it.
function tokenOnPage(html) {
  const tags = html.match(/<script [^>]*data-user-token="[^"]*"[^>]*><\/script>/g) || []
  assert.equal(tags.length, 1, html)
  // Base64 has no character an attribute escape would change; an escaped
  // character here would mean the helper mangled the token.
  return /data-user-token="([^"]*)"/.exec(tags[0])[1]
}

function tempDir(t) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-'))
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }))
  return dir
}

// The visitor opens the chat and sends a message; the widget is identified.
async function converse(page, text) {
  await page.click('#tw-open')
  await page.waitForSelector('#tw-conversation')
  await page.fill('#tw-message', text)
  await page.click('#tw-send')
  await page.waitForSelector('#tw-transcript li[data-message-id]')
}

// The visitor opens the chat and is asked who they are: returns why.
async function leadCaptureAfterOpening(page) {
  await page.click('#tw-open')
  const form = await page.waitForSelector('#tw-lead-capture')
  assert.equal(await page.$('#tw-conversation'), null)
  return form.getAttribute('data-refusal')
}

const EMPTY = { contacts: [], conversations: [], messages: [] }

let browser
before(async () => {
  browser = await h.launchBrowser()
}, TIMEOUT)
after(async () => {
  if (browser) await browser.close()
}, TIMEOUT)

for (const server of servers) {
  describe(server.name, SUITE_TIMEOUT, () => {
    const secret = newSecret()
    const user = userFor(server)
    let side
    let example
    before(async () => {
      if (server.build) await h.run(`${server.name} build`, server.build, 300000)
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-'))
      side = await h.startReceivingSide(dir, { [ASSISTANT]: [secret] })
      side.dir = dir
      example = await h.startExample(server, { secret, widgetSrc: side.widgetSrc, assistantId: ASSISTANT, user })
    }, { timeout: 400000 })
    after(async () => {
      if (example) await example.stop()
      if (side) {
        await side.stop()
        fs.rmSync(side.dir, { recursive: true, force: true })
      }
    })

    test('a logged-in user: the conversation is linked to the Contact with the minted id, name and email', TIMEOUT, async () => {
      const { page, html, sent, errors, status } = await h.openPage(browser, example.url)
      try {
        assert.equal(status, 200)
        const token = tokenOnPage(html)
        await converse(page, `Hello from ${server.name} 👋`)
        assert.equal(await page.evaluate(() => window.__leadCaptureShown), false, 'no lead-capture form')
        // The page's own text and the widget's greeting show the name as typed.
        assert.ok((await page.textContent('h1')).includes(user.name), await page.textContent('h1'))
        assert.ok((await page.textContent('#tw-conversation')).includes(`Hi ${user.name}, how can we help?`))
        await h.screenshot(page, `${server.name}-identified-conversation`)
        // What the browser sent, on every API request, is what the server minted.
        assert.equal(sent.length, 2)
        for (const request of sent) assert.equal(request.token, token, request.url)
        assert.deepEqual(errors, [])
      } finally {
        await page.close()
      }
      const db = h.readDb(side.db)
      assert.deepEqual(db.contacts, [{ id: user.id, name: user.name, email: user.email }])
      assert.equal(db.conversations.length, 1)
      assert.deepEqual(db.conversations[0], { id: db.conversations[0].id, assistant_id: ASSISTANT, contact_id: user.id })
      assert.deepEqual(db.messages, [{ id: db.messages[0].id, conversation_id: db.conversations[0].id, body: `Hello from ${server.name} 👋` }])
    })

    test('a signed-out visitor: no token on the tag, the lead-capture form, nothing written', TIMEOUT, async () => {
      const before = h.readDb(side.db)
      const { page, html, sent } = await h.openPage(browser, `${example.url}signed-out`)
      try {
        assert.match(html, /<script [^>]*data-assistant-id="7"[^>]*><\/script>/)
        assert.doesNotMatch(html, /data-user-token/)
        assert.equal(await leadCaptureAfterOpening(page), 'no_token')
        await h.screenshot(page, `${server.name}-lead-capture`)
        assert.deepEqual(sent, [])
      } finally {
        await page.close()
      }
      assert.deepEqual(h.readDb(side.db), before)
    })
  })
}

// Refusals: one example server is enough (they are about the widget and the
// receiving side); E2E_REFUSALS_SERVER picks another by name.
const refusals = servers.find((s) => s.name === (process.env.E2E_REFUSALS_SERVER || servers[0].name))

describe(`refused tokens (pages from ${refusals.name})`, SUITE_TIMEOUT, () => {
  const user = userFor(refusals)

  // The page's token is refused: lead capture with the SDK's error code, the
  // refused token is what was sent, and the database is as it was.
  async function expectRefusal(url, side, code) {
    const before = h.readDb(side.db)
    const { page, html, sent, status } = await h.openPage(browser, url)
    try {
      assert.equal(status, 200)
      const [answer, refusal] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST'),
        leadCaptureAfterOpening(page),
      ])
      assert.equal(refusal, code)
      // The receiving side's answer: the code and nothing else.
      assert.equal(answer.status(), 401)
      assert.deepEqual(await answer.json(), { error: code })
      assert.deepEqual(sent.map((r) => r.token), [tokenOnPage(html)])
    } finally {
      await page.close()
    }
    assert.deepEqual(h.readDb(side.db), before)
  }

  // A page from the example whose token `rewrite` changes on its way to the
  // browser (a loopback proxy in the middle) is refused with `code`.
  async function refusedOnTheWay(t, rewrite, code) {
    const secret = newSecret()
    const side = await h.startReceivingSide(tempDir(t), { [ASSISTANT]: [secret] })
    t.after(side.stop)
    const example = await h.startExample(refusals, { secret, widgetSrc: side.widgetSrc, assistantId: ASSISTANT, user })
    t.after(example.stop)
    const proxy = await h.rewritingProxy(example.url, (html) => {
      const changed = rewrite(html)
      assert.notEqual(changed, html)
      return changed
    })
    t.after(proxy.stop)
    await expectRefusal(proxy.url, side, code)
    assert.deepEqual(h.readDb(side.db), EMPTY)
  }

  test('a tampered token: authentication_failed, nothing written', TIMEOUT, (t) =>
    // One base64 character in the middle of the ciphertext changed.
    refusedOnTheWay(t, (html) => html.replace(/(data-user-token="[^"]{30})([^"])/, (_, head, c) => head + (c === 'A' ? 'B' : 'A')),
      'authentication_failed'))

  test('a token cut short: malformed_token, nothing written', TIMEOUT, (t) =>
    refusedOnTheWay(t, (html) => html.replace(/data-user-token="([^"]{20})[^"]*"/, 'data-user-token="$1"'), 'malformed_token'))

  test("a token made with another channel's secret: authentication_failed, nothing written", TIMEOUT, async (t) => {
    const secret = newSecret()
    const other = newSecret()
    const side = await h.startReceivingSide(tempDir(t), { [ASSISTANT]: [secret], [OTHER_ASSISTANT]: [other] })
    t.after(side.stop)
    // The page names this channel's assistant but was set up with the other channel's secret.
    const example = await h.startExample(refusals, { secret: other, widgetSrc: side.widgetSrc, assistantId: ASSISTANT, user })
    t.after(example.stop)
    await expectRefusal(example.url, side, 'authentication_failed')
    assert.deepEqual(h.readDb(side.db), EMPTY)
  })

  test('key rotation: the old key opens old pages while it is in the keyring, and only then', TIMEOUT, async (t) => {
    const dir = tempDir(t)
    const oldSecret = newSecret()
    const newSecret_ = newSecret()

    // 1. The new key is added in front; the site still mints with the old one.
    let side = await h.startReceivingSide(dir, { [ASSISTANT]: [newSecret_, oldSecret] })
    t.after(() => side.stop())
    let example = await h.startExample(refusals, { secret: oldSecret, widgetSrc: side.widgetSrc, assistantId: ASSISTANT, user })
    t.after(() => example.stop())
    let visit = await h.openPage(browser, example.url)
    await converse(visit.page, 'minted with the old key')
    assert.equal(await visit.page.evaluate(() => window.__leadCaptureShown), false)
    await visit.page.close()
    const afterOld = h.readDb(side.db)
    assert.deepEqual(afterOld.contacts, [{ id: user.id, name: user.name, email: user.email }])
    assert.equal(afterOld.conversations.length, 1)

    // 2. The old key is removed; a page still minted with it is refused.
    await side.stop()
    side = await h.startReceivingSide(dir, { [ASSISTANT]: [newSecret_] })
    await example.stop()
    example = await h.startExample(refusals, { secret: oldSecret, widgetSrc: side.widgetSrc, assistantId: ASSISTANT, user })
    await expectRefusal(example.url, side, 'authentication_failed')
    assert.deepEqual(h.readDb(side.db), afterOld)

    // 3. The site moves to the new key: the same Contact, updated, gets a second conversation.
    await example.stop()
    const moved = { ...user, email: 'zoe.new@example.com' }
    example = await h.startExample(refusals, { secret: newSecret_, widgetSrc: side.widgetSrc, assistantId: ASSISTANT, user: moved })
    visit = await h.openPage(browser, example.url)
    await converse(visit.page, 'minted with the new key')
    await visit.page.close()
    const db = h.readDb(side.db)
    assert.deepEqual(db.contacts, [{ id: user.id, name: user.name, email: 'zoe.new@example.com' }])
    assert.deepEqual(db.conversations.map((c) => c.contact_id), [user.id, user.id])
    assert.equal(db.messages.length, 2)
  })
})
