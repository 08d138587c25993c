# frozen_string_literal: true

require_relative "helper"

# Every conformance vector of tests/vectors/vectors.json (docs/FORMAT.md).
class TestVectors < Minitest::Test
  TI = TeamwebIdentity
  H = TestHelper

  H.each_case("valid") do |c, name|
    define_method("test_valid_#{name}") do
      key = TI::IdentityKey.from_base64(c["secret"])
      fields = H.fields(c["identity"])
      token = TI::Testing.encrypt_with_nonce(key, [c["nonce"]].pack("H*"), **fields)
      assert_equal c["token"], token
      want = H.expected(c["decrypted"])
      assert_equal want, key.decrypt(token).to_h
      assert_equal want, TI.decrypt_user_token(c["secret"], token).to_h
      # A random nonce opens to the same identity, through every entry point.
      assert_equal want, key.decrypt(key.encrypt(**fields)).to_h
      assert_equal want, TI.decrypt_user_token(c["secret"], TI.encrypt_user_token(c["secret"], **fields)).to_h
      assert_equal want, TI::IdentityKeyring.new([TI::IdentityKey.generate, key]).decrypt(token).to_h
    end
  end

  H.each_case("invalid_identities") do |c, name|
    define_method("test_invalid_identity_#{name}") do
      key = TI::IdentityKey.generate
      fields = H.fields(c["identity"])
      cls = H::ERRORS.fetch(c["code"])
      err = assert_raises(cls) { key.encrypt(**fields) }
      assert_equal c["code"], err.code
      assert_kind_of TI::Error, err
      assert_raises(cls) { TI::Testing.encrypt_with_nonce(key, "\0".b * 12, **fields) }
      assert_raises(cls) { TI::IdentityKeyring.new([key]).encrypt(**fields) }
      assert_raises(cls) { TI.encrypt_user_token(key.secret_base64, **fields) }
    end
  end

  H.each_case("invalid_secrets") do |c, name|
    define_method("test_invalid_secret_#{name}") do
      cls = H::ERRORS.fetch(c["code"])
      err = assert_raises(cls) { TI::IdentityKey.from_base64(c["secret"]) }
      assert_equal c["code"], err.code
      secret = c["secret"].strip
      if secret.length >= 8
        refute_includes err.message, secret
        refute_includes err.inspect, secret
      end
      assert_raises(cls) { TI.encrypt_user_token(c["secret"], id: "u1") }
      assert_raises(cls) { TI.decrypt_user_token(c["secret"], "AAAA") }
    end
  end

  H.each_case("secret_spellings") do |c, name|
    define_method("test_secret_spelling_#{name}") do
      assert_equal c["secret_base64"], TI::IdentityKey.from_base64(c["secret"]).secret_base64
    end
  end

  H.each_case("invalid_tokens") do |c, name|
    define_method("test_invalid_token_#{name}") do
      cls = H::ERRORS.fetch(c["code"])
      key = TI::IdentityKey.from_base64(c["secret"])
      err = assert_raises(cls) { key.decrypt(c["token"]) }
      assert_equal c["code"], err.code
      assert_raises(cls) { TI.decrypt_user_token(c["secret"], c["token"]) }
      assert_raises(cls) { TI::IdentityKeyring.new([key]).decrypt(c["token"]) }
    end
  end

  H.each_case("foreign_tokens") do |c, name|
    define_method("test_foreign_token_#{name}") do
      want = H.expected(c["decrypted"])
      assert_equal want, TI::IdentityKey.from_base64(c["secret"]).decrypt(c["token"]).to_h
      assert_equal want, TI.decrypt_user_token(c["secret"], c["token"]).to_h
    end
  end

  def test_every_section_has_cases
    %w[valid invalid_identities invalid_secrets secret_spellings invalid_tokens foreign_tokens].each do |section|
      refute_empty H::VECTORS.fetch(section), section
    end
  end
end
