# frozen_string_literal: true

module TeamwebIdentity
  # The gem's version: the Cargo workspace's version (a test checks they agree).
  VERSION = "0.1.0"
end
