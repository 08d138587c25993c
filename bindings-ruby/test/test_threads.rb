# frozen_string_literal: true

require_relative "helper"

# One key shared by 8 threads: every token opens, and no nonce repeats.
class TestThreads < Minitest::Test
  TI = TeamwebIdentity
  THREADS = 8
  PER_THREAD = 2_500

  def test_eight_threads_never_repeat_a_nonce
    key = TI::IdentityKey.generate
    ring = TI::IdentityKeyring.new([key])
    start = Queue.new
    threads = Array.new(THREADS) do |t|
      Thread.new do
        start.pop
        Array.new(PER_THREAD) do |i|
          cipher = i.even? ? key : ring
          token = cipher.encrypt(id: "t#{t}-#{i}", name: "thread #{t}")
          raise "token #{t}/#{i} did not open" unless key.decrypt(token).id == "t#{t}-#{i}"

          token.unpack1("m0")[0, 12]
        end
      end
    end
    THREADS.times { start << true }
    nonces = threads.flat_map(&:value)
    assert_equal THREADS * PER_THREAD, nonces.size
    assert_equal nonces.size, nonces.uniq.size, "a nonce repeated"
  end

  def test_forked_children_do_not_repeat_the_parents_nonces
    skip "no fork on this platform" unless Process.respond_to?(:fork)

    key = TI::IdentityKey.generate
    parent = Array.new(100) { key.encrypt(id: "p").unpack1("m0")[0, 12] }
    readers = Array.new(2) do
      reader, writer = IO.pipe
      pid = fork do
        reader.close
        writer.write(Array.new(100) { key.encrypt(id: "c").unpack1("m0")[0, 12] }.join)
        writer.close
        exit!(0)
      end
      writer.close
      [pid, reader]
    end
    children = readers.flat_map do |pid, reader|
      data = reader.read
      Process.wait(pid)
      data.b.scan(/.{12}/m)
    end
    assert_equal 200, children.size
    all = parent + children
    assert_equal all.size, all.uniq.size, "a forked child repeated a nonce"
  end
end

# The extension reads Ruby Strings in place: with the GC running at every
# allocation (GC.stress), compacting the heap each time (GC.auto_compact), every call still
# sees its own text (including Strings transcoded from UTF-16 just before).
class TestGcStress < Minitest::Test
  TI = TeamwebIdentity

  def test_calls_under_gc_stress_and_compaction
    key = TI::IdentityKey.generate
    ring = TI::IdentityKeyring.new([key])
    expected = []
    got = []
    compact = GC.respond_to?(:auto_compact=)
    begin
      GC.auto_compact = true if compact
      GC.stress = true
      6.times do |i|
        name = "Zoë #{i}".encode(Encoding::UTF_16LE)
        token = (i.even? ? key : ring).encrypt(id: "u#{i}", name: name, email: "u#{i}@example.com")
        got << key.decrypt(token).to_h
        got << TI.decrypt_user_token(key.secret_base64, TI.encrypt_user_token(key.secret_base64, id: i)).id
        got << TI.widget_script_tag("/w.js?#{i}".encode(Encoding::UTF_16LE), i, token).length
        expected << { id: "u#{i}", name: "Zoë #{i}", email: "u#{i}@example.com" } << i.to_s <<
          %(<script src="/w.js?#{i}" data-assistant-id="#{i}" data-user-token="#{token}"></script>).length
      end
    ensure
      GC.stress = false
      GC.auto_compact = false if compact
    end
    assert_equal expected, got
  end
end
