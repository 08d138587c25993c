# frozen_string_literal: true

# Speed and memory of the teamweb-identity gem against the plain Ruby snippet
# it replaces (make -C bindings-ruby bench), in one process, interleaved
# rounds, median per call.
#
# The snippet is the public page's flow in Ruby: per token it decodes the
# base64 secret, JSON.generate's the identity, draws 12 random bytes and
# encrypts with OpenSSL::Cipher AES-256-GCM, then base64-encodes nonce || ct
# || tag; its decrypt decodes the secret and the token, opens it and
# JSON.parse's it; its script tag is built with ERB::Util.html_escape.
#
# Targets (ratios, snippet time / gem time): encrypt and decrypt with a kept
# IdentityKey >= 3x; the one-shots (which parse the secret per call, like the
# snippet) >= 1.5x; widget_script_tag with a fresh token >= 2x the snippet's
# token plus its html_escape'd tag. RSS growth over a million calls < 5 MiB.
#
# Writes the rows of the lead's table to --json (target/bench/ruby.json).
require "json"
require "erb"
require "openssl"
require "teamweb_identity"

ROUNDS = 11
CALLS = 10_000
RSS_CALLS = 1_000_000
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

SRC = "https://teamweb.example/static/js/chat-widget.js"
ASSISTANT = 123

def peer_tag(token)
  %(<script src="#{ERB::Util.html_escape(SRC)}" data-assistant-id="#{ERB::Util.html_escape(ASSISTANT)}" ) +
    %(data-user-token="#{ERB::Util.html_escape(token)}"></script>)
end

fns = {
  "peer encrypt" => -> { peer_encrypt },
  "gem encrypt" => -> { key.encrypt(id: UID, name: NAME, email: EMAIL) },
  "gem encrypt_user_token" => -> { TeamwebIdentity.encrypt_user_token(SECRET, id: UID, name: NAME, email: EMAIL) },
  "peer decrypt" => -> { peer_decrypt },
  "gem decrypt" => -> { key.decrypt(TOKEN) },
  "gem decrypt_user_token" => -> { TeamwebIdentity.decrypt_user_token(SECRET, TOKEN) },
  "peer token + tag" => -> { peer_tag(peer_encrypt) },
  "gem token + tag" => -> { TeamwebIdentity.widget_script_tag(SRC, ASSISTANT, key.encrypt(id: UID, name: NAME, email: EMAIL)) },
  "gem widget_script_tag" => -> { TeamwebIdentity.widget_script_tag(SRC, ASSISTANT, TOKEN) },
  # A call with no work: what crossing into the extension costs.
  "bare call (secret_base64)" => -> { key.secret_base64 }
}

# The two agree before anything is timed.
abort "gem cannot open the peer's token" unless key.decrypt(peer_encrypt).to_h == { id: UID, name: NAME, email: EMAIL }
abort "peer cannot open the gem's token" unless peer_decrypt == { "id" => UID, "name" => NAME, "email" => EMAIL }
abort "the tags differ" unless TeamwebIdentity.widget_script_tag(SRC, ASSISTANT, TOKEN) == peer_tag(TOKEN)

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

# A million calls: encrypt, decrypt, the script tag and a one-shot in turn.
rss_round = lambda do |n|
  (n / 4).times do
    token = key.encrypt(id: UID, name: NAME, email: EMAIL)
    key.decrypt(token)
    TeamwebIdentity.widget_script_tag(SRC, ASSISTANT, token)
    TeamwebIdentity.decrypt_user_token(SECRET, token)
  end
end
rss_round.(100_000)
GC.start
before = rss_kib
rss_round.(RSS_CALLS)
GC.start
growth_mib = (rss_kib - before) / 1024.0

ratio = ->(peer, ours) { med[peer] / med[ours] }
speed = ->(r) { r >= 1 ? format("%.2fx faster", r) : format("%.2fx slower", 1 / r) }
checks = [
  ["encrypt, key kept, vs the OpenSSL snippet", ratio.("peer encrypt", "gem encrypt"), 3.0],
  ["decrypt, key kept, vs the OpenSSL snippet", ratio.("peer decrypt", "gem decrypt"), 3.0],
  ["encrypt_user_token (one-shot) vs the OpenSSL snippet", ratio.("peer encrypt", "gem encrypt_user_token"), 1.5],
  ["decrypt_user_token (one-shot) vs the OpenSSL snippet", ratio.("peer decrypt", "gem decrypt_user_token"), 1.5],
  ["widget_script_tag with a fresh token vs the snippet + ERB::Util.html_escape",
   ratio.("peer token + tag", "gem token + tag"), 2.0]
]

puts "Ruby #{RUBY_VERSION}, OpenSSL #{OpenSSL::OPENSSL_LIBRARY_VERSION}, teamweb-identity #{TeamwebIdentity::VERSION}; " \
     "median of #{ROUNDS} interleaved rounds of #{CALLS} calls"
med.each { |label, ns| puts format("  %-26s %8.2f us/call", label, ns / 1000) }
checks.each { |label, r, target| puts format("  %-78s %s (target >= %gx)", label, speed.(r), target) }
puts format("  RSS growth over %<n>s calls: %<g>.2f MiB (target < %<t>g MiB)",
            n: RSS_CALLS.to_s.reverse.scan(/\d{1,3}/).join(",").reverse, g: growth_mib, t: RSS_LIMIT_MIB)

row = ->(metric, value, target, ok) { { "package" => "ruby", "metric" => metric, "value" => value, "target" => target, "ok" => ok } }
rows = checks.map { |label, r, target| row.(label, speed.(r), ">= #{target}x", r >= target) }
rows << row.("bare call into the extension (key.secret_base64), for comparison",
             format("%.2f us", med["bare call (secret_base64)"] / 1000), "(info)", true)
rows << row.("RSS growth, #{RSS_CALLS} calls", format("%.1f MiB", growth_mib), "< #{RSS_LIMIT_MIB} MiB",
             growth_mib < RSS_LIMIT_MIB)
File.write(json_path, JSON.pretty_generate(rows)) if json_path
exit(rows.all? { |r| r["ok"] } ? 0 : 1)
