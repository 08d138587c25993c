# frozen_string_literal: true

require "cgi"
require "net/http"
require "open3"
require_relative "helper"

# examples/ruby: the Rack-style app called directly, then served by
# server.rb on loopback and fetched over HTTP.
class TestExample < Minitest::Test
  TI = TeamwebIdentity
  EXAMPLE = File.join(TestHelper::REPO, "examples/ruby")

  def assert_page_identifies(key, page)
    tag = page[%r{<script [^>]*></script>}]
    refute_nil tag, page
    assert_includes tag, %(src="https://teamweb.example/static/js/chat-widget.js")
    assert_includes tag, %(data-assistant-id="123")
    token = CGI.unescapeHTML(tag[/data-user-token="([^"]*)"/, 1])
    assert_equal TI::UserIdentity.new(id: "4711", name: "Zoë O'Brien", email: "zoe@example.com"), key.decrypt(token)
    assert_includes page, "Hello, Zoë O&#39;Brien"
  end

  def test_the_app_called_as_rack_would
    require File.join(EXAMPLE, "app")
    key = TI::IdentityKey.generate
    app = DashboardApp.new(secret: key.secret_base64)
    status, headers, body = app.call("REQUEST_METHOD" => "GET", "PATH_INFO" => "/")
    assert_equal 200, status
    assert_equal "private, no-store", headers["cache-control"]
    assert_page_identifies(key, body.join)
    assert_equal 404, app.call("REQUEST_METHOD" => "GET", "PATH_INFO" => "/nope").first
  end

  def test_served_on_loopback
    key = TI::IdentityKey.generate
    env = { "TEAMWEB_IDENTITY_SECRET" => key.secret_base64 }
    Open3.popen2e(env, RbConfig.ruby, File.join(EXAMPLE, "server.rb"), "--port", "0") do |_stdin, out, wait|
      line = out.gets
      port = line.to_s[%r{http://127\.0\.0\.1:(\d+)/}, 1]
      refute_nil port, "server.rb said: #{line}"
      pages = Array.new(2) do
        response = Net::HTTP.get_response(URI("http://127.0.0.1:#{port}/"))
        assert_equal "200", response.code
        response.body.force_encoding(Encoding::UTF_8)
      end
      pages.each { |page| assert_page_identifies(key, page) }
      refute_equal pages[0][/data-user-token="[^"]*"/], pages[1][/data-user-token="[^"]*"/], "each page gets a fresh token"
    ensure
      Process.kill("TERM", wait.pid) if wait&.alive?
      wait&.join
    end
  end
end
