"""Major catalogues (本科 2012, 专科 2015) and normalisation of free-text majors to them."""
