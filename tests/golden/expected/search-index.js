window.briefingSearch = {"count":3,"shards":[{"m":"2017-12","n":2},{"m":"2017-09","n":1}]};
