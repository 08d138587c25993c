# frozen_string_literal: true

# Runs every test file of this directory in one minitest process
# (make -C bindings-ruby test runs it with the installed gem only).
Dir[File.join(__dir__, "test_*.rb")].sort.each { |file| require file }
