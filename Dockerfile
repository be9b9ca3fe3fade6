# Worker image: Python 3.11, tesseract with deu fra eng ita spa nld, poppler; runs `tradein`.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    OMP_THREAD_LIMIT=1 \
    TRADEIN_DATA_DIR=/data \
    PREFECT_SERVER_ANALYTICS_ENABLED=false

RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      tesseract-ocr tesseract-ocr-deu tesseract-ocr-fra tesseract-ocr-eng tesseract-ocr-ita \
      tesseract-ocr-spa tesseract-ocr-nld libtesseract-dev libleptonica-dev pkg-config g++ \
      poppler-utils fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY tradein ./tradein
COPY claims ./claims
COPY ocr ./ocr
COPY models ./models
COPY tasks ./tasks
COPY flows ./flows
COPY fixtures ./fixtures
COPY prefect.yaml ./
RUN pip install --no-cache-dir --no-binary tesserocr .

RUN useradd --create-home --uid 1000 tradein && mkdir -p /data && chown tradein /data
USER tradein
VOLUME ["/data"]
ENTRYPOINT ["tradein"]
CMD ["--help"]
