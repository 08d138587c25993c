# frozen_string_literal: true

# With any Rack server installed (puma, falcon, rackup ...): `rackup config.ru`.
require_relative "app"
run DashboardApp.new
