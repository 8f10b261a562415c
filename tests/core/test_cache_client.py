"""The Redis cache client is made once per connection pool, not once per operation."""

from core.cache import ReusingRedisCacheClient


def test_one_redis_client_per_pool_serves_every_operation():
    client = ReusingRedisCacheClient(["redis://127.0.0.1:6379/14"])
    first = client.get_client("key")
    assert client.get_client("other") is first
    assert client.get_client("key", write=True) is first  # one server: reads and writes
    assert first.connection_pool is client._get_connection_pool(True)


def test_reads_and_writes_keep_their_own_servers():
    client = ReusingRedisCacheClient(["redis://127.0.0.1:6379/14", "redis://127.0.0.1:6379/13"])
    writer, reader = client.get_client(write=True), client.get_client()
    assert writer is not reader
    assert writer.connection_pool.connection_kwargs["db"] == 14
    assert reader.connection_pool.connection_kwargs["db"] == 13
    assert client.get_client() is reader
