# frozen_string_literal: true

# Cross-language driver for the Ruby gem (tests/cross/PROTOCOL.md).
#
# Reads one JSON request per line on stdin, answers each with one JSON line
# on stdout. Run through tests/cross/driver-ruby, which uses the gem installed
# into target/ruby-gem-home, never the source tree. The plain peer is Ruby's
# OpenSSL::Cipher AES-256-GCM over JSON.generate, as the public page's
# examples do in their languages.
require "json"
require "openssl"
require "teamweb_identity"
require "teamweb_identity/testing"
require_relative "wtf8"

module DriverRuby
  TI = TeamwebIdentity
  PeerFailed = Class.new(StandardError)

  # A protocol value as Ruby: {"utf16" => [...]} becomes the UTF-8 String of
  # those code units with each lone surrogate in its 3-byte WTF-8 form (ED
  # A0..BF xx: how such text reaches a UTF-8 language); {"bigint" => "..."}
  # a Ruby Integer of any size; anything else as is.
  def self.text(value)
    return value unless value.is_a?(Hash)
    return Integer(value.fetch("bigint"), 10) if value.key?("bigint")

    Wtf8.from_utf16(value.fetch("utf16"))
  end

  def self.fields(identity)
    { id: text(identity["id"]), name: text(identity["name"]), email: text(identity["email"]) }
  end

  def self.identity(value)
    TI::UserIdentity.new(**fields(value))
  end

  def self.as_json(who)
    { "id" => who.id, "name" => who.name, "email" => who.email }
  end

  def self.peer_encrypt(secret, identity)
    doc = %w[id name email].to_h { |k| [k, text(identity[k])] }.reject { |_, v| v.nil? || v == "" }
    cipher = OpenSSL::Cipher.new("aes-256-gcm").encrypt
    cipher.key = secret.unpack1("m")
    nonce = OpenSSL::Random.random_bytes(12)
    cipher.iv = nonce
    cipher.auth_data = ""
    ct = cipher.update(JSON.generate(doc)) + cipher.final
    [nonce + ct + cipher.auth_tag].pack("m0")
  rescue StandardError => e
    raise PeerFailed, e.message
  end

  def self.peer_decrypt(secret, token)
    raw = token.strip.unpack1("m")
    cipher = OpenSSL::Cipher.new("aes-256-gcm").decrypt
    cipher.key = secret.unpack1("m")
    cipher.iv = raw.byteslice(0, 12)
    cipher.auth_tag = raw.byteslice(-16, 16)
    cipher.auth_data = ""
    doc = JSON.parse((cipher.update(raw.byteslice(12...-16)) + cipher.final).force_encoding(Encoding::UTF_8))
    id = doc.fetch("id")
    raise PeerFailed, "bad id" unless id.is_a?(String) || id.is_a?(Integer)

    blank = ->(v) { v.nil? || v == "" ? nil : v }
    { "id" => id.to_s, "name" => blank.(doc["name"]), "email" => blank.(doc["email"]) }
  rescue PeerFailed
    raise
  rescue StandardError => e
    raise PeerFailed, e.message
  end

  def self.handle(req)
    case req["op"]
    when "encrypt_fixed"
      key = TI::IdentityKey.from_base64(req["secret"])
      TI::Testing.encrypt_with_nonce(key, [req["nonce"]].pack("H*"), **fields(req["identity"]))
    when "encrypt" then TI::IdentityKey.from_base64(req["secret"]).encrypt(**fields(req["identity"]))
    when "decrypt" then as_json(TI::IdentityKey.from_base64(req["secret"]).decrypt(req["token"]))
    when "secret" then TI::IdentityKey.from_base64(req["secret"]).secret_base64
    when "script_tag" then TI.widget_script_tag(text(req["src"]), text(req["assistant_id"]), text(req["token"]))
    when "keyring_empty" then TI::IdentityKeyring.new([])
    when "round_trip"
      key = TI::IdentityKey.from_base64(req["secret"])
      opened = key.decrypt(key.encrypt(**fields(req["identity"])))
      { "identity" => as_json(opened), "equal" => identity(req["identity"]) == opened }
    when "identity_equal" then identity(req["a"]) == identity(req["b"])
    when "peer_encrypt" then peer_encrypt(req["secret"], req["identity"])
    when "peer_decrypt" then peer_decrypt(req["secret"], req["token"])
    else raise TypeError, "unknown op #{req['op'].inspect}"
    end
  end

  def self.answer(line)
    { "ok" => handle(JSON.parse(line)) }
  rescue TI::Error => e
    { "error" => e.code, "message" => e.message }
  rescue PeerFailed
    { "error" => "peer_failed" }
  rescue TypeError, ArgumentError, KeyError, NoMethodError, EncodingError
    { "error" => "type_error" }
  end

  def self.main
    $stdout.sync = true
    $stdin.each_line do |line|
      next if line.strip.empty?

      $stdout.write(JSON.generate(answer(line)), "\n")
    end
  end
end

DriverRuby.main
