# frozen_string_literal: true

# Speed and memory of the teamweb-identity gem against the public page's flow
# written in plain Ruby (make -C bindings-ruby bench), in one process,
# interleaved rounds, median per call.
#
# The peer is the page's example in Ruby: per token it decodes the base64
# secret, JSON.generate's the identity, draws 12 random bytes and encrypts
# with OpenSSL::Cipher AES-256-GCM, then base64-encodes nonce || ct || tag;
# its decrypt decodes the secret and the token, opens it and JSON.parse's it.
# The gem uses one IdentityKey parsed once (its documented use); the one-shot
# functions, which parse the secret per call like the peer, are shown too.
# No speed target: the gem's calls go through the Ruby code uniffi generates
# (RustBuffers built byte by byte through the ffi gem), which costs far more
# than the core's work; the bare-call row shows that floor.
#
# Writes the rows of the lead's table to --json (target/bench/ruby.json).
require "json"
require "openssl"
require "teamweb_identity"

ROUNDS = 11
CALLS = 10_000
RSS_CALLS = 300_000
RSS_LIMIT_MIB = 5.0

json_path = ARGV[ARGV.index("--json") + 1] if ARGV.include?("--json")

key = TeamwebIdentity::IdentityKey.generate
SECRET = key.secret_base64
UID = "user_123"
NAME = "Alice"
EMAIL = "alice@example.com"

def peer_encrypt
  secret = SECRET.unpack1("m0")
  payload = JSON.generate({ id: UID, name: NAME, email: EMAIL })
  nonce = OpenSSL::Random.random_bytes(12)
  cipher = OpenSSL::Cipher.new("aes-256-gcm").encrypt
  cipher.key = secret
  cipher.iv = nonce
  ct = cipher.update(payload) + cipher.final
  [nonce + ct + cipher.auth_tag].pack("m0")
end

TOKEN = peer_encrypt

def peer_decrypt
  secret = SECRET.unpack1("m0")
  raw = TOKEN.unpack1("m0")
  cipher = OpenSSL::Cipher.new("aes-256-gcm").decrypt
  cipher.key = secret
  cipher.iv = raw.byteslice(0, 12)
  cipher.auth_tag = raw.byteslice(-16, 16)
  JSON.parse(cipher.update(raw.byteslice(12...-16)) + cipher.final)
end

fns = {
  "peer encrypt" => -> { peer_encrypt },
  "gem encrypt" => -> { key.encrypt(id: UID, name: NAME, email: EMAIL) },
  "gem encrypt_user_token" => -> { TeamwebIdentity.encrypt_user_token(SECRET, id: UID, name: NAME, email: EMAIL) },
  "peer decrypt" => -> { peer_decrypt },
  "gem decrypt" => -> { key.decrypt(TOKEN) },
  "gem decrypt_user_token" => -> { TeamwebIdentity.decrypt_user_token(SECRET, TOKEN) },
  "widget_script_tag" => -> { TeamwebIdentity.widget_script_tag("https://teamweb.example/static/js/chat-widget.js", 123, TOKEN) },
  # A call with no arguments: what uniffi's generated Ruby costs before any work.
  "bare call (secret_base64)" => -> { key.secret_base64 }
}

# The two agree before anything is timed.
abort "gem cannot open the peer's token" unless key.decrypt(peer_encrypt).to_h == { id: UID, name: NAME, email: EMAIL }
abort "peer cannot open the gem's token" unless peer_decrypt == { "id" => UID, "name" => NAME, "email" => EMAIL }

def per_call_ns(fn, calls)
  start = Process.clock_gettime(Process::CLOCK_MONOTONIC, :nanosecond)
  calls.times { fn.call }
  (Process.clock_gettime(Process::CLOCK_MONOTONIC, :nanosecond) - start).fdiv(calls)
end

def median(values)
  sorted = values.sort
  mid = sorted.size / 2
  sorted.size.odd? ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0
end

fns.each_value { |fn| per_call_ns(fn, CALLS / 4) } # warm-up
times = fns.keys.to_h { |k| [k, []] }
ROUNDS.times { fns.each { |label, fn| times[label] << per_call_ns(fn, CALLS) } }
med = times.transform_values { |v| median(v) }

def rss_kib
  File.foreach("/proc/self/status") { |line| return line.split[1].to_i if line.start_with?("VmRSS:") }
  raise "no VmRSS in /proc/self/status"
end

50_000.times { key.decrypt(key.encrypt(id: UID, name: NAME, email: EMAIL)) }
GC.start
before = rss_kib
RSS_CALLS.times { key.decrypt(key.encrypt(id: UID, name: NAME, email: EMAIL)) }
GC.start
growth_mib = (rss_kib - before) / 1024.0

ratio = ->(peer, ours) { med[peer] / med[ours] }
enc = ratio.("peer encrypt", "gem encrypt")
dec = ratio.("peer decrypt", "gem decrypt")
enc1 = ratio.("peer encrypt", "gem encrypt_user_token")
dec1 = ratio.("peer decrypt", "gem decrypt_user_token")
speed = ->(r) { r >= 1 ? format("%.2fx faster", r) : format("%.2fx slower", 1 / r) }

puts "Ruby #{RUBY_VERSION}, ffi #{Gem.loaded_specs['ffi']&.version}, OpenSSL #{OpenSSL::OPENSSL_LIBRARY_VERSION}, " \
     "teamweb-identity #{TeamwebIdentity::VERSION}; median of #{ROUNDS} interleaved rounds of #{CALLS} calls"
med.each { |label, ns| puts format("  %-24s %8.2f us/call", label, ns / 1000) }
puts "  encrypt (key parsed once) vs the page's flow: #{speed.(enc)}; one-shot: #{speed.(enc1)}"
puts "  decrypt (key parsed once) vs the page's flow: #{speed.(dec)}; one-shot: #{speed.(dec1)}"
puts format("  RSS growth over %<n>s encrypt+decrypt: %<g>.2f MiB (target < %<t>g MiB)",
            n: RSS_CALLS.to_s.reverse.scan(/\d{1,3}/).join(",").reverse, g: growth_mib, t: RSS_LIMIT_MIB)

row = ->(metric, value, target, ok) { { "package" => "ruby", "metric" => metric, "value" => value, "target" => target, "ok" => ok } }
rows = [
  row.("encrypt vs Ruby OpenSSL example (key parsed once)", speed.(enc), "(info)", true),
  row.("decrypt vs Ruby OpenSSL example (key parsed once)", speed.(dec), "(info)", true),
  row.("encrypt_user_token vs Ruby OpenSSL example (both parse per call)", speed.(enc1), "(info)", true),
  row.("decrypt_user_token vs Ruby OpenSSL example (both parse per call)", speed.(dec1), "(info)", true),
  row.("widget_script_tag", format("%.2f us", med["widget_script_tag"] / 1000), "(info)", true),
  row.("bare uniffi-generated call (key.secret_base64), for comparison", format("%.2f us", med["bare call (secret_base64)"] / 1000),
       "(info)", true),
  row.("RSS growth, #{RSS_CALLS} encrypt+decrypt", format("%.1f MiB", growth_mib), "< #{RSS_LIMIT_MIB} MiB",
       growth_mib < RSS_LIMIT_MIB)
]
File.write(json_path, JSON.pretty_generate(rows)) if json_path
exit(rows.all? { |r| r["ok"] } ? 0 : 1)
