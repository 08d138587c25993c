# frozen_string_literal: true

require "json"
require "minitest/autorun"
require "teamweb_identity"
require "teamweb_identity/testing"

module TestHelper
  REPO = ENV.fetch("TEAMWEB_REPO") { File.expand_path("../..", __dir__) }
  require File.join(REPO, "tests/cross/wtf8")
  VECTORS = JSON.parse(File.read(File.join(REPO, "tests/vectors/vectors.json"), encoding: "UTF-8"))

  ERRORS = {
    "invalid_secret" => TeamwebIdentity::InvalidSecretError,
    "invalid_identity" => TeamwebIdentity::InvalidIdentityError,
    "malformed_token" => TeamwebIdentity::MalformedTokenError,
    "authentication_failed" => TeamwebIdentity::AuthenticationFailedError,
    "invalid_payload" => TeamwebIdentity::InvalidPayloadError
  }.freeze

  # A vector value as Ruby: {"utf16" => [units]} becomes the UTF-8 bytes of
  # those code units, each lone surrogate in its 3-byte WTF-8 form (ED A0..BF
  # xx), which is how such text reaches a UTF-8 language.
  def self.native(value)
    return value unless value.is_a?(Hash) && value.key?("utf16")

    Wtf8.from_utf16(value["utf16"])
  end

  def self.fields(identity)
    { id: native(identity["id"]), name: native(identity["name"]), email: native(identity["email"]) }
  end

  # What decrypt should return, as UserIdentity#to_h. (Not a UserIdentity:
  # UserIdentity.new holds host text to the identity rules, lengths
  # included, while a foreign token may carry a longer field.)
  def self.expected(decrypted)
    { id: decrypted["id"], name: decrypted["name"], email: decrypted["email"] }
  end

  # One test method per vector, so a failure names its case.
  def self.each_case(section)
    VECTORS.fetch(section).each { |c| yield c, c.fetch("name").gsub(/[^A-Za-z0-9]+/, "_") }
  end
end
