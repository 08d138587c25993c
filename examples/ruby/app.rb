# frozen_string_literal: true

# A Rack-style app that tells TeamWeb AI's chat widget who the logged-in
# visitor is: a plain object answering #call(env) with [status, headers, body],
# so it runs under any Rack server (config.ru) or the tiny stdlib server in
# server.rb, with no framework to install. In Rails the same two lines go in
# a helper: key.encrypt(...) and TeamwebIdentity.widget_script_tag(...).html_safe.
require "erb"
require "teamweb_identity"

class DashboardApp
  WIDGET_SRC = ENV.fetch("TEAMWEB_WIDGET_SRC", "https://teamweb.example/static/js/chat-widget.js")
  ASSISTANT_ID = ENV.fetch("TEAMWEB_ASSISTANT_ID", "123")
  HEADERS = { "content-type" => "text/html; charset=utf-8", "cache-control" => "private, no-store" }.freeze

  # The logged-in user, as your session/auth layer knows them.
  User = Struct.new(:id, :name, :email, keyword_init: true)

  # The key is parsed once, when the app is built.
  def initialize(secret: ENV.fetch("TEAMWEB_IDENTITY_SECRET"))
    @key = TeamwebIdentity::IdentityKey.from_base64(secret)
  end

  def call(env)
    case env["PATH_INFO"]
    when "/"
      user = current_user(env)
      token = @key.encrypt(id: user.id, name: user.name, email: user.email)
      # The tag is already HTML-escaped: insert it as is.
      [200, HEADERS, [page("Hello, #{user.name}", TeamwebIdentity.widget_script_tag(WIDGET_SRC, ASSISTANT_ID, token))]]
    when "/signed-out"
      # An anonymous visitor: no token, so the widget asks who they are.
      [200, HEADERS, [page("Welcome", TeamwebIdentity.widget_script_tag(WIDGET_SRC, ASSISTANT_ID))]]
    else
      [404, { "content-type" => "text/plain" }, ["not found\n"]]
    end
  end

  private

  def page(heading, widget)
    <<~HTML
      <!doctype html>
      <html>
        <head><meta charset="utf-8"><title>Dashboard</title></head>
        <body>
          <h1>#{ERB::Util.html_escape(heading)}</h1>
          #{widget}
        </body>
      </html>
    HTML
  end

  # Stands in for your login system (Devise's current_user, warden, ...).
  # DEMO_USER_ID, DEMO_USER_NAME and DEMO_USER_EMAIL choose who is logged in
  # (the browser tests in tests/e2e set them).
  def current_user(_env)
    User.new(id: ENV.fetch("DEMO_USER_ID", "4711"),
             name: ENV.fetch("DEMO_USER_NAME", "Zoë O'Brien"),
             email: ENV.fetch("DEMO_USER_EMAIL", "zoe@example.com"))
  end
end
