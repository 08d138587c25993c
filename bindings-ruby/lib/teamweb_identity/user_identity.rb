# frozen_string_literal: true

module TeamwebIdentity
  # An opened identity: what #decrypt returns. Immutable; +name+ and +email+
  # are +nil+ when the token did not carry them. Equal when all three fields are.
  #
  #   who = key.decrypt(token)
  #   who.id     # => "user_123" (an integer id comes back as its decimal text)
  #   who.name   # => "Alice"
  #   who.email  # => nil
  class UserIdentity
    # @return [String]
    attr_reader :id
    # @return [String, nil]
    attr_reader :name
    # @return [String, nil]
    attr_reader :email

    def initialize(id:, name: nil, email: nil)
      @id = id.to_s.dup.freeze
      @name = name&.dup&.freeze
      @email = email&.dup&.freeze
      freeze
    end

    # @return [Hash{Symbol => String, nil}] +{id:, name:, email:}+, usable as
    #   +key.encrypt(**who.to_h)+
    def to_h
      { id: @id, name: @name, email: @email }
    end

    # Pattern matching: +in {id:, email:}+.
    def deconstruct_keys(_keys)
      to_h
    end

    def ==(other)
      other.is_a?(UserIdentity) && to_h == other.to_h
    end
    alias eql? ==

    def hash
      [UserIdentity, @id, @name, @email].hash
    end

    def inspect
      "#<#{self.class.name} id=#{@id.inspect} name=#{@name.inspect} email=#{@email.inspect}>"
    end
  end
end
