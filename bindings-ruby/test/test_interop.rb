# frozen_string_literal: true

require "openssl"
require_relative "helper"

# Tokens made by the gem open with Ruby's own OpenSSL::Cipher AES-256-GCM,
# and tokens made with plain OpenSSL + JSON.generate (the public page's flow
# in Ruby) open with the gem.
class TestInterop < Minitest::Test
  TI = TeamwebIdentity

  def setup
    @key = TI::IdentityKey.generate
    @raw_key = @key.secret_base64.unpack1("m0")
  end

  def openssl_encrypt(payload, nonce = OpenSSL::Random.random_bytes(12))
    cipher = OpenSSL::Cipher.new("aes-256-gcm").encrypt
    cipher.key = @raw_key
    cipher.iv = nonce
    cipher.auth_data = ""
    ct = cipher.update(payload) + cipher.final
    [nonce + ct + cipher.auth_tag].pack("m0")
  end

  def openssl_decrypt(token)
    raw = token.unpack1("m0")
    cipher = OpenSSL::Cipher.new("aes-256-gcm").decrypt
    cipher.key = @raw_key
    cipher.iv = raw[0, 12]
    cipher.auth_tag = raw[-16, 16]
    cipher.auth_data = ""
    (cipher.update(raw[12...-16]) + cipher.final).force_encoding(Encoding::UTF_8)
  end

  IDENTITIES = [
    { id: "user_123", name: "Alice", email: "alice@example.com" },
    { id: "u2" },
    { id: "Zoë \"ZZ\" Ünal", name: "漢字 😀 </script> \u2028", email: "zoë@例え.jp" },
    { id: "back\\slash", name: "quote\"d" },
    { id: "x" * 256, name: "é" * 128 }
  ].freeze

  def test_gem_tokens_open_with_openssl
    IDENTITIES.each do |identity|
      token = @key.encrypt(**identity)
      assert_equal 12 + 16 + openssl_decrypt(token).bytesize, token.unpack1("m0").bytesize
      plaintext = openssl_decrypt(token)
      assert_equal JSON.generate(identity.transform_keys(&:to_s)), plaintext
      assert_equal identity.transform_keys(&:to_s), JSON.parse(plaintext)
    end
    # An integer id is written as a JSON string of its decimal text.
    assert_equal '{"id":"42"}', openssl_decrypt(@key.encrypt(id: 42))
  end

  def test_openssl_tokens_open_with_the_gem
    IDENTITIES.each do |identity|
      token = openssl_encrypt(JSON.generate(identity))
      want = TI::UserIdentity.new(**identity)
      assert_equal want, @key.decrypt(token)
      assert_equal want, TI.decrypt_user_token(@key.secret_base64, token)
    end
    # What other encoders write: spacing, \u escapes, integer ids, nulls, extra keys, URL-safe base64.
    token = openssl_encrypt(%({ "email" : null, "id" : 42, "name" : "Zo\\u00eb", "extra": [1] }))
    assert_equal TI::UserIdentity.new(id: "42", name: "Zoë"), @key.decrypt(token)
    assert_equal "42", @key.decrypt(token.tr("+/", "-_").delete("=")).id
  end

  def test_same_nonce_same_bytes_as_openssl
    nonce = OpenSSL::Random.random_bytes(12)
    IDENTITIES.each do |identity|
      assert_equal openssl_encrypt(JSON.generate(identity), nonce), TI::Testing.encrypt_with_nonce(@key, nonce, **identity)
    end
  end

  def test_a_changed_byte_is_refused
    raw = @key.encrypt(id: "u1").unpack1("m0")
    [0, 12, raw.bytesize - 1].each do |i|
      bad = raw.dup
      bad.setbyte(i, bad.getbyte(i) ^ 1)
      assert_raises(TI::AuthenticationFailedError) { @key.decrypt([bad].pack("m0")) }
    end
  end
end
