# frozen_string_literal: true

require_relative "helper"

# The Ruby API around the core: types, errors, redaction, the keyring, the
# script tag, and that the gem under test is the installed one.
class TestApi < Minitest::Test
  TI = TeamwebIdentity
  SECRET = TestHelper::VECTORS["valid"][0]["secret"]

  def key
    @key ||= TI::IdentityKey.from_base64(SECRET)
  end

  def test_loaded_from_the_installed_gem
    spec = Gem.loaded_specs.fetch("teamweb-identity")
    path = $LOADED_FEATURES.find { |f| f.end_with?("/teamweb_identity.rb") }
    assert path.start_with?(ENV.fetch("GEM_HOME")), "loaded #{path}, not from GEM_HOME #{ENV['GEM_HOME']}"
    ext = $LOADED_FEATURES.grep(%r{/teamweb_identity/(\d+\.\d+/)?teamweb_identity\.#{RbConfig::CONFIG['DLEXT']}\z})
    assert_equal 1, ext.size, "the native extension is loaded once: #{ext}"
    assert ext[0].start_with?(ENV.fetch("GEM_HOME")), ext[0]
    case ENV.fetch("TEAMWEB_GEM_KIND")
    when "platform"
      # One extension per Ruby minor version, inside the gem; nothing compiled at install.
      assert_equal Gem::Platform.local.cpu, spec.platform.cpu
      assert_equal File.join(spec.full_gem_path, "lib/teamweb_identity", RUBY_VERSION[/\A\d+\.\d+/],
                             "teamweb_identity.#{RbConfig::CONFIG['DLEXT']}"), ext[0]
      assert_empty spec.extensions
    when "source"
      # Built by extconf.rb (cargo) at `gem install`, into the gem's extension
      # directory, which RubyGems also copies into the gem's lib/.
      assert_equal Gem::Platform::RUBY, spec.platform.to_s
      assert_equal ["ext/teamweb_identity/extconf.rb"], spec.extensions
      built = "teamweb_identity/teamweb_identity.#{RbConfig::CONFIG['DLEXT']}"
      assert File.exist?(File.join(spec.extension_dir, built)), "#{built} not in #{spec.extension_dir}"
      assert_includes [File.join(spec.extension_dir, built), File.join(spec.full_gem_path, "lib", built)], ext[0]
      refute Dir.exist?(File.join(spec.full_gem_path, "lib/teamweb_identity", RUBY_VERSION[/\A\d+\.\d+/]))
    else flunk "TEAMWEB_GEM_KIND"
    end
  end

  def test_no_ffi_and_no_other_gem
    assert_empty Gem.loaded_specs.fetch("teamweb-identity").runtime_dependencies
    refute defined?(::FFI), "the ffi gem is not loaded"
    assert_equal %i[AuthenticationFailedError Error IdentityKey IdentityKeyring InvalidIdentityError InvalidPayloadError
                    InvalidSecretError MalformedTokenError Testing UserIdentity VERSION],
                 TI.constants.sort
  end

  def test_version_is_the_workspace_version
    cargo = File.read(File.join(TestHelper::REPO, "Cargo.toml"))
    assert_equal cargo[/^\[workspace\.package\].*?^version = "([^"]+)"/m, 1], TI::VERSION
  end

  def test_a_panic_in_rust_is_a_runtime_error_and_the_process_goes_on
    err = assert_raises(RuntimeError) { TeamwebIdentity.send(:_self_test_panic) }
    assert_includes err.message, "internal error (panic: deliberate panic"
    refute_kind_of TeamwebIdentity::Error, err
    assert_raises(NoMethodError) { TeamwebIdentity._self_test_panic }
    assert_equal "u1", key.decrypt(key.encrypt(id: "u1")).id
  end

  def test_round_trip
    token = key.encrypt(id: "user_123", name: "Alice", email: "alice@example.com")
    who = key.decrypt(token)
    assert_equal "user_123", who.id
    assert_equal "Alice", who.name
    assert_equal "alice@example.com", who.email
    assert_equal({ id: "user_123", name: "Alice", email: "alice@example.com" }, who.to_h)
    assert who.frozen?
    assert_equal 44, key.secret_base64.length
  end

  def test_absent_fields_are_nil
    who = key.decrypt(key.encrypt(id: "u1", name: "", email: nil))
    assert_nil who.name
    assert_nil who.email
    assert_equal TI::UserIdentity.new(id: "u1"), who
  end

  def test_integer_ids_become_decimal_text
    assert_equal "42", key.decrypt(key.encrypt(id: 42)).id
    assert_equal "-7", key.decrypt(key.encrypt(id: -7)).id
    assert_equal (2**70).to_s, key.decrypt(key.encrypt(id: 2**70)).id
    nonce = "\x01".b * 12
    assert_equal TI::Testing.encrypt_with_nonce(key, nonce, id: "42"), TI::Testing.encrypt_with_nonce(key, nonce, id: 42)
  end

  def test_wrong_types_raise_type_error
    assert_raises(TypeError) { key.encrypt(id: nil) }
    assert_raises(TypeError) { key.encrypt(id: true) }
    assert_raises(TypeError) { key.encrypt(id: 1.5) }
    assert_raises(TypeError) { key.encrypt(id: :sym) }
    assert_raises(TypeError) { key.encrypt(id: "u", name: 3) }
    assert_raises(TypeError) { key.decrypt(nil) }
    assert_raises(TypeError) { TI::IdentityKey.from_base64(nil) }
    assert_raises(TypeError) { TI::IdentityKeyring.new([key, "not a key"]) }
    assert_raises(ArgumentError) { key.encrypt(name: "no id") }
  end

  def test_pattern_matching
    case key.decrypt(key.encrypt(id: "u9", email: "u9@example.com"))
    in { id: String => id, email: }
      assert_equal ["u9", "u9@example.com"], [id, email]
    end
  end

  def test_the_five_error_classes_and_codes
    classes = {
      TI::InvalidSecretError => "invalid_secret",
      TI::InvalidIdentityError => "invalid_identity",
      TI::MalformedTokenError => "malformed_token",
      TI::AuthenticationFailedError => "authentication_failed",
      TI::InvalidPayloadError => "invalid_payload"
    }
    classes.each do |cls, code|
      assert_operator cls, :<, TI::Error
      assert_operator TI::Error, :<, StandardError
    end
    raised = [
      assert_raises(TI::InvalidSecretError) { TI::IdentityKey.from_base64("not base64!") },
      assert_raises(TI::InvalidIdentityError) { key.encrypt(id: "   ") },
      assert_raises(TI::MalformedTokenError) { key.decrypt("***") },
      assert_raises(TI::AuthenticationFailedError) { TI::IdentityKey.generate.decrypt(key.encrypt(id: "u1")) },
      assert_raises(TI::InvalidPayloadError) do
        key.decrypt(TI::Testing.encrypt_with_nonce(key, "\0".b * 12, id: "u1").then { |t| tamper_payload(t) })
      end
    ]
    assert_equal classes.values, raised.map(&:code)
    raised.each { |e| assert_nil e.cause }
  end

  # A token whose plaintext is valid JSON but not an identity ([] instead of
  # an object), made with OpenSSL and the key's secret.
  def tamper_payload(_token)
    require "openssl"
    cipher = OpenSSL::Cipher.new("aes-256-gcm").encrypt
    cipher.key = key.secret_base64.unpack1("m0")
    nonce = "\x02".b * 12
    cipher.iv = nonce
    cipher.auth_data = ""
    ct = cipher.update("[]") + cipher.final
    [nonce + ct + cipher.auth_tag].pack("m0")
  end

  def test_messages_never_echo_the_secret
    secret = "#{'A' * 40}!!!!"
    err = assert_raises(TI::InvalidSecretError) { TI::IdentityKey.from_base64(secret) }
    refute_includes err.message, "AAAAAAAA"
    hex = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
    err = assert_raises(TI::InvalidSecretError) { TI::IdentityKey.from_base64(hex) }
    refute_includes err.message, hex[0, 16]
  end

  def test_keys_never_print_their_bytes
    secret = key.secret_base64
    raw = secret.unpack1("m0")
    keyring = TI::IdentityKeyring.new([key])
    [key, keyring].each do |obj|
      shown = [obj.inspect, obj.to_s, "#{obj}", [obj].inspect, { k: obj }.to_s, JSON.generate([obj.to_s])]
      shown.each do |text|
        refute_includes text, secret
        refute_includes text, secret[0, 12]
        refute_includes text.b, raw
        assert_includes text, "redacted"
      end
      assert_raises(TypeError) { Marshal.dump(obj) }
    end
    # The Ruby object holds no secret: only the native handle.
    refute(key.instance_variables.any? { |iv| key.instance_variable_get(iv).inspect.include?(secret) })
  end

  def test_keys_and_keyrings_are_frozen_and_built_only_by_the_factories
    assert key.frozen?
    assert TI::IdentityKeyring.new([key]).frozen?
    assert_raises(NoMethodError) { TI::IdentityKey.new(nil) }
    # No copies: typed data without an allocator.
    assert_raises(TypeError) { key.dup }
    assert_raises(TypeError) { key.clone }
    assert_raises(TypeError) { TI::IdentityKeyring.new([key]).dup }
  end

  def test_generate_makes_distinct_keys
    secrets = Array.new(50) { TI::IdentityKey.generate.secret_base64 }
    assert_equal 50, secrets.uniq.size
    k = TI::IdentityKey.generate
    assert_equal k.secret_base64, TI::IdentityKey.from_base64(k.secret_base64).secret_base64
  end

  def test_keyring_encrypts_with_first_and_opens_with_any
    old_key = TI::IdentityKey.generate
    ring = TI::IdentityKeyring.new([key, old_key])
    assert_equal 2, ring.size
    token = ring.encrypt(id: "u1", name: "N")
    assert_equal "N", key.decrypt(token).name
    assert_raises(TI::AuthenticationFailedError) { old_key.decrypt(token) }
    assert_equal "u2", ring.decrypt(old_key.encrypt(id: "u2")).id
    assert_raises(TI::AuthenticationFailedError) { ring.decrypt(TI::IdentityKey.generate.encrypt(id: "u3")) }
    # Only authentication_failed moves on; a malformed token stops at once.
    assert_raises(TI::MalformedTokenError) { ring.decrypt("%%%") }
    err = assert_raises(TI::Error) { TI::IdentityKeyring.new([]) }
    assert_includes TestHelper::ERRORS.keys, err.code
  end

  def test_one_shots
    token = TI.encrypt_user_token(SECRET, id: 7, name: "Zoë")
    assert_equal TI::UserIdentity.new(id: "7", name: "Zoë"), TI.decrypt_user_token(SECRET, token)
    assert_equal "7", key.decrypt(token).id
  end

  def test_widget_script_tag
    token = key.encrypt(id: "u1")
    assert_equal %(<script src="https://teamweb.example/static/js/chat-widget.js" data-assistant-id="123" ) +
                 %(data-user-token="#{token}"></script>),
                 TI.widget_script_tag("https://teamweb.example/static/js/chat-widget.js", 123, token)
    assert_equal %(<script src="/w.js?a=1&amp;b=&lt;2&gt;" data-assistant-id="a&quot;b&#x27;c&amp;"></script>),
                 TI.widget_script_tag("/w.js?a=1&b=<2>", %(a"b'c&))
    refute_includes TI.widget_script_tag("/w.js", "1"), "data-user-token"
  end

  def test_fixed_nonce_must_be_12_bytes
    assert_raises(ArgumentError) { TI::Testing.encrypt_with_nonce(key, "short", id: "u1") }
    assert_raises(TypeError) { TI::Testing.encrypt_with_nonce(key, nil, id: "u1") }
    assert_raises(TypeError) { TI::Testing.encrypt_with_nonce(SECRET, "\0" * 12, id: "u1") }
  end

  def test_text_in_other_encodings
    latin1 = "Zo\xEB".dup.force_encoding(Encoding::ISO_8859_1)
    assert_equal "Zoë", key.decrypt(key.encrypt(id: "u1", name: latin1)).name
    utf16 = "Zoë".encode(Encoding::UTF_16LE)
    assert_equal "Zoë", key.decrypt(key.encrypt(id: utf16)).id
    binary = "Zo\xC3\xAB".b
    assert_equal "Zoë", key.decrypt(key.encrypt(id: binary)).id
    token = key.encrypt(id: "u1")
    assert_equal "u1", key.decrypt(token.encode(Encoding::UTF_16LE)).id
    assert_equal "u1", key.decrypt(" #{token}\n".b).id
  end

  def test_text_that_is_not_unicode_is_refused
    err = assert_raises(TI::InvalidIdentityError) { key.encrypt(id: "a\xFFb".dup.force_encoding(Encoding::UTF_8)) }
    assert_equal "invalid_identity", err.code
    assert_equal "id is not valid Unicode (it is not well-formed UTF-8)", err.message
    # A lone surrogate in its WTF-8 form, in a UTF-8 or a binary String.
    err = assert_raises(TI::InvalidIdentityError) { key.encrypt(id: "u", email: "\xED\xA0\x80@x".b) }
    assert_equal "email is not valid Unicode (it contains a lone surrogate)", err.message
    assert_raises(TI::InvalidIdentityError) { key.encrypt(id: "u", name: Wtf8.from_utf16([0x41, 0xDC00])) }
    # A String in another encoding whose bytes are not valid in it: Ruby
    # cannot transcode it, and says so with its own EncodingError.
    lone = [0xD800].pack("v*").force_encoding(Encoding::UTF_16LE)
    assert_raises(EncodingError) { key.encrypt(id: lone) }
    # In a token or a secret it is just another character that is not base64.
    assert_raises(TI::MalformedTokenError) { key.decrypt("AAAA\xFF".b) }
    assert_raises(TI::MalformedTokenError) { key.decrypt("#{key.encrypt(id: 'u1')}\xED\xA0\x80".b) }
    assert_raises(TI::InvalidSecretError) { TI::IdentityKey.from_base64("#{SECRET}\xFF".b) }
    assert_raises(TI::InvalidSecretError) { TI::IdentityKey.from_base64(lone) }
  end

  def test_script_tag_on_ill_formed_text_replaces_never_fails
    tag = TI.widget_script_tag("/w.js?\xFF".b, Wtf8.from_utf16([0x31, 0xD800]), "t\xED\xA0\x80".b)
    assert_equal %(<script src="/w.js?\uFFFD" data-assistant-id="1\uFFFD" data-user-token="t\uFFFD"></script>), tag
    assert_equal Encoding::UTF_8, tag.encoding
    lone = [0x61, 0xDFFF].pack("v*").force_encoding(Encoding::UTF_16LE)
    assert_equal %(<script src="a\uFFFD" data-assistant-id="1"></script>), TI.widget_script_tag(lone, 1)
  end

  def test_integer_bounds_are_the_cores
    bound = 851 # bits; 2**850 has 851 bits and 256 digits
    assert_equal (2**(bound - 1)).to_s, key.decrypt(key.encrypt(id: 2**(bound - 1))).id
    err = assert_raises(TI::InvalidIdentityError) { key.encrypt(id: -(2**bound)) }
    assert_includes err.message, "#{bound + 1} bits"
    assert_raises(TI::InvalidIdentityError) { TI::UserIdentity.new(id: 2**10_000) }
    assert_includes TI.widget_script_tag("/w.js", 2**bound - 1), %(data-assistant-id="#{2**bound - 1}")
    err = assert_raises(TI::InvalidIdentityError) { TI.widget_script_tag("/w.js", -(2**bound)) }
    assert_includes err.message, "assistant_id"
  end

  def test_user_identity_treats_empty_as_absent
    a = TI::UserIdentity.new(id: "u", name: "", email: "")
    b = TI::UserIdentity.new(id: "u")
    assert_equal a, b
    assert a.eql?(b)
    assert_equal a.hash, b.hash
    assert_equal 1, { a => 1, b => 1 }.size
    assert_nil a.name
    assert_equal a, key.decrypt(key.encrypt(**a.to_h))
    refute_equal TI::UserIdentity.new(id: "u", name: "n"), b
    refute_equal b, "u"
    assert TI::UserIdentity.new(id: 7).frozen?
    assert_equal "7", TI::UserIdentity.new(id: 7).id
    # Host text is held to the identity rules the core applies to host text.
    assert_raises(TI::InvalidIdentityError) { TI::UserIdentity.new(id: "x" * 257) }
    assert_equal %(#<TeamwebIdentity::UserIdentity id="u" name=nil email=nil>), b.inspect
  end

  def test_hostile_tokens_never_crash
    rng = Random.new(4242)
    good = key.encrypt(id: "u1", name: "Alice")
    2000.times do |i|
      token = case i % 4
              when 0 then rng.bytes(rng.rand(0..200)).force_encoding(Encoding::UTF_8)
              when 1 then good.dup.tap { |t| t[rng.rand(t.size)] = "ABCDEFGH+/=-_ \n"[rng.rand(15)] }
              when 2 then [rng.bytes(rng.rand(0..120))].pack("m0")
              else good[0, rng.rand(good.size)]
              end
      begin
        key.decrypt(token)
      rescue TI::Error => e
        assert_includes TestHelper::ERRORS.keys, e.code
      end
    end
    assert_raises(TI::MalformedTokenError) { key.decrypt("A" * 100_000) }
  end
end
