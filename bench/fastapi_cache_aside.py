"""The source material's FastAPI cache-aside endpoint, rewritten for the side-by-side benchmark (bench/libraries.sh).

GET /product/{id}: Redis GET; on a miss a 2 s "database" sleep, then SET with a 60 s TTL. Keys under REDIS_PREFIX.
Run with Debian's python3-fastapi, python3-uvicorn and python3-redis (PyPI is not needed).
"""
import json
import os
import time

import redis
from fastapi import FastAPI

app = FastAPI()
store = redis.Redis(host="127.0.0.1", port=int(os.environ["REDIS_PORT"]))
prefix = os.environ.get("REDIS_PREFIX", "bench:fastapi:")


@app.get("/product/{product_id}")
def get_product(product_id: int):
    key = f"{prefix}product:{product_id}"
    cached = store.get(key)
    if cached:
        return {"source": "cache", "data": json.loads(cached)}
    time.sleep(2)  # the slow database of the source material
    product = {"id": product_id, "name": "Laptop", "price": 999}
    store.set(key, json.dumps(product), ex=60)
    return {"source": "db", "data": product}
