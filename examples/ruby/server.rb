# frozen_string_literal: true

# Serves app.rb with nothing but Ruby's standard library (socket): a minimal
# HTTP/1.1 server for trying the example and for its test, one request per
# connection, each connection in its own thread (so a browser's idle
# connection never holds up the next request). Use a real Rack server (config.ru) in production.
#
#   export TEAMWEB_IDENTITY_SECRET='<the secret from the channel settings page>'
#   ruby server.rb --port 8000     # http://127.0.0.1:8000/  (--port 0: any free port)
require "socket"
require "stringio"
require_relative "app"

port = Integer(ARGV[ARGV.index("--port") + 1]) if ARGV.include?("--port")
server = TCPServer.new("127.0.0.1", port || 8000)
app = DashboardApp.new
$stdout.puts "listening on http://127.0.0.1:#{server.addr[1]}/"
$stdout.flush
REASONS = { 200 => "OK", 400 => "Bad Request", 404 => "Not Found", 500 => "Internal Server Error" }.freeze

def serve(client, app, port)
  method, target = client.gets&.split(" ", 3)
  while (line = client.gets) && line != "\r\n"; end # headers: not needed here
  path, query = target.to_s.split("?", 2)
  env = { "REQUEST_METHOD" => method.to_s, "PATH_INFO" => path.to_s, "QUERY_STRING" => query.to_s,
          "SERVER_NAME" => "127.0.0.1", "SERVER_PORT" => port.to_s, "rack.input" => StringIO.new(+"") }
  status, headers, body = method ? app.call(env) : [400, { "content-type" => "text/plain" }, ["bad request\n"]]
  payload = +""
  body.each { |chunk| payload << chunk.b }
  client.write("HTTP/1.1 #{status} #{REASONS.fetch(status, 'OK')}\r\n")
  headers.merge("content-length" => payload.bytesize.to_s, "connection" => "close").each do |name, value|
    client.write("#{name}: #{value}\r\n")
  end
  client.write("\r\n", payload)
rescue StandardError => e
  warn "server.rb: #{e.class}: #{e.message}"
ensure
  client.close
end

port = server.addr[1]
loop do
  client = server.accept
  Thread.new(client) { |c| serve(c, app, port) }
end
