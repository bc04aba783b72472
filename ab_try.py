import asyncio, time, statistics
from bench import aio

if __name__ == "__main__":
    with aio.local_router() as url:
        loop = asyncio.new_event_loop()
        sides = {
            "raw": aio.raw_bulk(url),
            "ours": aio.ours_bulk(url),
            "rawc": aio.raw_per_call(url),
            "oursc": aio.ours_per_call(url),
        }
        for s in sides.values():
            loop.run_until_complete(s())
        res = {k: [] for k in sides}
        for _ in range(3):
            for k, s in sides.items():
                c = time.process_time()
                loop.run_until_complete(s())
                res[k].append((time.process_time() - c) / aio.REQUESTS * 1000)
        for k, v in res.items():
            print(k, round(statistics.median(v), 3))
        print(
            "bulk",
            statistics.median(res["ours"]) / statistics.median(res["raw"]),
            "call",
            statistics.median(res["oursc"]) / statistics.median(res["rawc"]),
        )
