# frozen_string_literal: true

# A Rack-style app that tells TeamWeb AI's chat widget who the logged-in
# visitor is: a plain object answering #call(env) with [status, headers, body],
# so it runs under any Rack server (config.ru) or the tiny stdlib server in
# server.rb, with no framework to install. In Rails the same two lines go in
# a helper: key.encrypt(...) and TeamwebIdentity.widget_script_tag(...).html_safe.
require "erb"
require "teamweb_identity"

class DashboardApp
  WIDGET_SRC = "https://teamweb.example/static/js/chat-widget.js"
  ASSISTANT_ID = 123

  # The logged-in user, as your session/auth layer knows them.
  User = Struct.new(:id, :name, :email, keyword_init: true)

  # The key is parsed once, when the app is built.
  def initialize(secret: ENV.fetch("TEAMWEB_IDENTITY_SECRET"))
    @key = TeamwebIdentity::IdentityKey.from_base64(secret)
  end

  def call(env)
    return [404, { "content-type" => "text/plain" }, ["not found\n"]] unless env["PATH_INFO"] == "/"

    user = current_user(env)
    token = @key.encrypt(id: user.id, name: user.name, email: user.email)
    # The tag is already HTML-escaped: insert it as is.
    widget = TeamwebIdentity.widget_script_tag(WIDGET_SRC, ASSISTANT_ID, token)
    page = <<~HTML
      <!doctype html>
      <html>
        <head><title>Dashboard</title></head>
        <body>
          <h1>Hello, #{ERB::Util.html_escape(user.name)}</h1>
          #{widget}
        </body>
      </html>
    HTML
    [200, { "content-type" => "text/html; charset=utf-8", "cache-control" => "private, no-store" }, [page]]
  end

  private

  # Stands in for your login system (Devise's current_user, warden, ...).
  def current_user(_env)
    User.new(id: 4711, name: "Zoë O'Brien", email: "zoe@example.com")
  end
end
