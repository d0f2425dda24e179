@dimensions 99999999999999999999999
@seriesLength 9223372036854775807
@classLabel true 1
@data
1:1
