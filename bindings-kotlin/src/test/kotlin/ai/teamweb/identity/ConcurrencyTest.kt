package ai.teamweb.identity

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test
import java.nio.ByteBuffer
import java.util.Base64
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.CyclicBarrier
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit

/** One key shared by 8 threads: every token opens, and no nonce repeats. */
class ConcurrencyTest {
    @Test
    fun `8 threads share one key without repeating a nonce`() {
        val threads = 8
        val perThread = 5_000
        val nonces = ConcurrentHashMap.newKeySet<ByteBuffer>()
        val start = CyclicBarrier(threads)
        IdentityKey.generate().use { key ->
            val pool = Executors.newFixedThreadPool(threads)
            val jobs = (0 until threads).map { t ->
                pool.submit {
                    start.await()
                    repeat(perThread) { i ->
                        val identity = UserIdentity("t$t-$i", "Thread $t", "t$t@example.com")
                        val token = key.encrypt(identity)
                        nonces.add(ByteBuffer.wrap(Base64.getDecoder().decode(token), 0, 12).slice())
                        if (i % 100 == 0) assertEquals(identity, key.decrypt(token))
                    }
                }
            }
            jobs.forEach { it.get(120, TimeUnit.SECONDS) }
            pool.shutdown()
        }
        assertEquals(threads * perThread, nonces.size)
    }
}
