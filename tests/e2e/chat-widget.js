// A stand-in for TeamWeb AI's chat widget: just what the identity flow needs.
//
//   <script src=".../chat-widget.js" data-assistant-id="123" data-user-token="..."></script>
//
// It reads its own tag, adds a "Chat with us" button, and when the visitor
// opens a conversation it sends the token (header X-User-Token) with every
// API request to the server it was loaded from. With no token, or when that
// server refuses the token, it shows a lead-capture form instead.
;(function () {
  'use strict'
  var tag = document.currentScript
  var assistantId = tag.getAttribute('data-assistant-id')
  var token = tag.getAttribute('data-user-token') // null when the visitor is anonymous
  var api = new URL('/api/', tag.src)

  var root = el('div', { id: 'tw-chat', style: 'position:fixed;right:24px;bottom:24px;width:320px;font:14px system-ui,sans-serif' })
  var panel = el('div', { style: 'border:1px solid #ccd;border-radius:10px;background:#fff;box-shadow:0 4px 16px #0002;padding:12px;margin-bottom:8px;display:none' })
  var open = el('button', { id: 'tw-open', type: 'button', style: 'float:right;padding:8px 16px;border-radius:18px;border:0;background:#3b5bdb;color:#fff' }, 'Chat with us')
  root.append(panel, open)
  tag.after(root)

  function el(name, attributes, text) {
    var node = document.createElement(name)
    for (var key in attributes) node.setAttribute(key, attributes[key])
    if (text !== undefined) node.textContent = text
    return node
  }

  function call(path, body) {
    var headers = { 'Content-Type': 'application/json' }
    if (token) headers['X-User-Token'] = token
    return fetch(new URL(path, api), { method: 'POST', headers: headers, body: JSON.stringify(body) }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) throw Object.assign(new Error(data.error), { code: data.error })
        return data
      })
    })
  }

  function show(children) {
    panel.replaceChildren.apply(panel, children)
    panel.style.display = 'block'
    open.style.display = 'none'
  }

  function leadCapture(refusal) {
    var form = el('form', { id: 'tw-lead-capture', 'data-refusal': refusal || 'no_token' })
    form.append(
      el('p', { style: 'margin:0 0 8px;font-weight:600' }, 'Before we start, who are you?'),
      el('input', { name: 'name', placeholder: 'Your name', style: 'display:block;width:95%;margin-bottom:6px' }),
      el('input', { name: 'email', type: 'email', placeholder: 'Your email', style: 'display:block;width:95%;margin-bottom:6px' }),
      el('button', { type: 'submit' }, 'Start chat'),
    )
    form.addEventListener('submit', function (event) { event.preventDefault() })
    show([form])
  }

  function conversation(started) {
    var transcript = el('ol', { id: 'tw-transcript', style: 'list-style:none;padding:0;margin:8px 0;min-height:60px' })
    var input = el('input', { id: 'tw-message', placeholder: 'Type a message', style: 'width:70%' })
    var send = el('button', { id: 'tw-send', type: 'submit' }, 'Send')
    var form = el('form', { id: 'tw-conversation', 'data-conversation-id': started.conversation_id })
    form.append(el('p', { style: 'margin:0;font-weight:600' }, 'Hi ' + (started.contact.name || 'there') + ', how can we help?'), transcript, input, send)
    form.addEventListener('submit', function (event) {
      event.preventDefault()
      var text = input.value
      call('conversations/' + started.conversation_id + '/messages', { text: text }).then(function (sent) {
        var line = el('li', { 'data-message-id': sent.message_id, style: 'background:#e7ecff;border-radius:8px;padding:6px 10px;margin:4px 0;text-align:right' }, text)
        transcript.append(line)
        input.value = ''
      }, function (error) { leadCapture(error.code || 'unreachable') })
    })
    show([form])
  }

  open.addEventListener('click', function () {
    if (!token) return leadCapture(null)
    call('conversations', { assistant_id: assistantId }).then(conversation, function (error) { leadCapture(error.code || 'unreachable') })
  })
})()
