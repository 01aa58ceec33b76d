"""A fast webhook receiver for Benchmarks/webhooks: answers every POST with 200 over keep-alive
and counts them; GET /count answers the count. asyncio and raw HTTP/1.1, so it costs the
machine as little CPU as a receiver can (it shares the 2 cores with the server it measures)."""
import asyncio
import sys

count = 0


class Receiver(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport = transport
        self.buffer = b""

    def data_received(self, data):
        global count
        self.buffer += data
        while True:
            head_end = self.buffer.find(b"\r\n\r\n")
            if head_end < 0:
                return
            head = self.buffer[:head_end].decode("latin-1")
            length = 0
            for line in head.split("\r\n")[1:]:
                name, _, value = line.partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value.strip())
            if len(self.buffer) < head_end + 4 + length:
                return
            self.buffer = self.buffer[head_end + 4 + length:]
            if head.startswith("GET /count"):
                body = str(count).encode()
            else:
                count += 1
                body = b"ok"
            self.transport.write(b"HTTP/1.1 200 OK\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)


async def main(port):
    server = await asyncio.get_running_loop().create_server(Receiver, "127.0.0.1", port)
    async with server:
        await server.serve_forever()


asyncio.run(main(int(sys.argv[1])))
